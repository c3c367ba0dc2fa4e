// Worker thread: builds Lunr shards from docs and writes each one to the case directory atomically.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parentPort } from 'node:worker_threads';
import { inflateDoc, type IndexDoc, type WireDoc } from './index-doc';
import { INDEX_DIR, shardFileName } from './shard-files';
import { configureBuilder, lunr } from './text-analysis';

export type IndexRequest =
  | { type: 'init'; caseDir: string; shardSize: number; nextSeq: number }
  | { type: 'add'; docs: WireDoc[] }
  | { type: 'flush' };

export interface ShardWritten {
  type: 'shard';
  seq: number;
  file: string;
  firstId: number;
  lastId: number;
  docs: number;
  sealed: boolean;
  bytes: number;
}
export type IndexReply = ShardWritten | { type: 'flushed' } | { type: 'error'; message: string };

let caseDir = '';
let shardSize = 20_000;
let seq = 1;
let pending: IndexDoc[] = [];

function build(docs: IndexDoc[], sealed: boolean): ShardWritten {
  const index = lunr(function () {
    configureBuilder(this);
    this.ref('id');
    for (const f of ['subject', 'from', 'to', 'cc', 'body', 'filename']) this.field(f);
    for (const d of docs) this.add(d);
  });
  const file = shardFileName(seq);
  const dir = path.join(caseDir, INDEX_DIR);
  mkdirSync(dir, { recursive: true });
  const json = JSON.stringify(index);
  const tmp = path.join(dir, `${file}.tmp`);
  writeFileSync(tmp, json);
  renameSync(tmp, path.join(dir, file)); // a shard file is complete or absent, never half-written
  return { type: 'shard', seq, file, firstId: docs[0]!.id, lastId: docs[docs.length - 1]!.id, docs: docs.length, sealed, bytes: Buffer.byteLength(json) };
}

parentPort!.on('message', (req: IndexRequest) => {
  try {
    if (req.type === 'init') {
      caseDir = req.caseDir;
      shardSize = req.shardSize;
      seq = req.nextSeq;
      pending = [];
    } else if (req.type === 'add') {
      for (const d of req.docs) pending.push(inflateDoc(d));
      while (pending.length >= shardSize) {
        const docs = pending.slice(0, shardSize);
        pending = pending.slice(shardSize);
        parentPort!.postMessage(build(docs, true) satisfies IndexReply);
        seq++;
      }
    } else if (req.type === 'flush') {
      // The tail shard is rewritten on every flush until it fills up and is sealed.
      if (pending.length > 0) parentPort!.postMessage(build(pending, false) satisfies IndexReply);
      parentPort!.postMessage({ type: 'flushed' } satisfies IndexReply);
    }
  } catch (err) {
    parentPort!.postMessage({ type: 'error', message: String((err as Error)?.stack ?? err) } satisfies IndexReply);
  }
});
