// The fast MIME path decodes base64 with Buffer.from after two byte scans (body-decode.ts): whatever it accepts
// must decode to exactly what mailsplit's own decoder (libbase64's Decoder stream, fed in chunks as mailsplit
// feeds it) gives. Bodies: real base64 with every kind of damage the scans have to see — bytes outside the
// alphabet (all 256 values), base64url's '-' and '_', padding in the middle, split by line ends, repeated.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { transferDecode } from '../../electron/engine/parse/fast-mime/body-decode';
import { Rng } from '../fixtures/archive-generator';

const require = createRequire(import.meta.url);
// The libbase64 mailsplit itself loads.
const libbase64 = createRequire(require.resolve('@zone-eu/mailsplit/lib/mime-node.js'))('libbase64');

function reference(body: Buffer, chunk: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const decoder = new libbase64.Decoder();
    const out: Buffer[] = [];
    decoder.on('data', (c: Buffer) => out.push(c));
    decoder.on('end', () => resolve(Buffer.concat(out)));
    decoder.on('error', reject);
    for (let i = 0; i < body.length; i += chunk) decoder.write(body.subarray(i, i + chunk));
    decoder.end();
  });
}

function encoded(rng: Rng): string {
  const bytes = Buffer.alloc(rng.int(200));
  for (let i = 0; i < bytes.length; i++) bytes[i] = rng.int(256);
  const eol = rng.int(2) ? '\r\n' : '\n';
  return (bytes.toString('base64').match(/.{1,76}/g) ?? []).join(eol) + (rng.int(2) ? eol : '');
}

function damaged(rng: Rng, s: string): Buffer {
  const bytes = [...Buffer.from(s, 'latin1')];
  const damage = rng.int(6);
  for (let d = 0; d < damage; d++) {
    const at = rng.int(bytes.length + 1);
    const kind = rng.int(5);
    const insert = kind === 0 ? [rng.int(256)] : kind === 1 ? [rng.int(2) ? 0x2d : 0x5f] : kind === 2 ? [0x3d] : kind === 3 ? [0x0d, 0x0a, 0x3d] : [0x20, 0x09];
    bytes.splice(at, 0, ...insert);
  }
  return Buffer.from(bytes);
}

test('base64 bodies the fast path accepts decode as libbase64 decodes them', async () => {
  const rng = new Rng(15);
  let accepted = 0;
  let damagedAccepted = 0;
  const total = 6000;
  for (let i = 0; i < total; i++) {
    const clean = i % 3 === 0;
    const body = clean ? Buffer.from(encoded(rng), 'latin1') : damaged(rng, encoded(rng));
    const mine = transferDecode('base64', body);
    if (mine === null) continue;
    accepted++;
    if (!clean) damagedAccepted++;
    assert.deepEqual(mine, await reference(body, 1 + rng.int(80)), JSON.stringify(body.toString('latin1')));
  }
  // Every byte outside the alphabet, alone in a body.
  for (let b = 0; b < 256; b++) {
    const body = Buffer.concat([Buffer.from('SGVsbG8g'), Buffer.of(b), Buffer.from('d29ybGQ=\r\n')]);
    const mine = transferDecode('base64', body);
    if (mine !== null) assert.deepEqual(mine, await reference(body, 7), `byte ${b}`);
  }
  // Clean bodies are always taken; most damaged ones too (the rest go to mailparser).
  assert.ok(accepted > total / 3 && damagedAccepted > total / 6, `${accepted} accepted, ${damagedAccepted} damaged`);
});
