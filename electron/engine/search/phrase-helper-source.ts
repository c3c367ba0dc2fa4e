/**
 * The phrase helper thread (phrase-share.ts), as CommonJS source for `new Worker(source, { eval: true })`:
 * it opens its own read-only connection, takes batches of candidates from the shared counter, and marks
 * those whose stored body matches the phrase's regular expression. The body is read as
 * util/raw-deflate.ts's inflateText reads it (one stored block without zlib, else raw inflate); this is
 * a string because it runs outside the engine's modules (see phrase-share.ts), and it uses only Node's
 * zlib and the better-sqlite3 file it is given. Any error: ctrl[1] = 1 and the main thread checks the rest.
 */
export const PHRASE_HELPER_SOURCE = `
const { workerData: w } = require('node:worker_threads');
try {
  const { inflateRawSync } = require('node:zlib');
  const Database = require(w.sqlite);
  const db = new Database(w.dbFile, { readonly: true, fileMustExist: true });
  const bodies = db.prepare('SELECT id, body FROM message_text WHERE id IN (SELECT value FROM json_each(?))').raw();
  const pattern = new RegExp(w.source, w.flags);
  const text = (d) => {
    const b = Buffer.from(d.buffer, d.byteOffset, d.byteLength);
    if (b.length >= 5 && b[0] === 0x01) {
      const len = b.readUInt16LE(1);
      if (b.readUInt16LE(3) === (~len & 0xffff) && len + 5 === b.length) return b.toString('utf8', 5);
    }
    return inflateRawSync(b, { chunkSize: Math.max(1024, Math.min(16384, b.length * 4)) }).toString('utf8');
  };
  const batches = Math.ceil(w.ids.length / w.batch);
  for (let b, done = 0; (b = Atomics.add(w.ctrl, 0, 1)) < batches; done++) {
    if (done === w.failAfter) throw new Error('test: helper fails');
    if (w.stall) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60000);
    const from = b * w.batch;
    const at = new Map();
    for (let i = from; i < Math.min(w.ids.length, from + w.batch); i++) at.set(w.ids[i], i);
    for (const [id, body] of bodies.all(JSON.stringify([...at.keys()]))) if (body && pattern.test(text(body))) w.found[at.get(id)] = 1;
    Atomics.store(w.states, b, 2);
    Atomics.notify(w.states, b);
  }
  db.close();
} catch {
  Atomics.store(w.ctrl, 1, 1);
}
`;
