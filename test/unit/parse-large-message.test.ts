import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parseSpan } from '../../electron/engine/parse/parse-span';
import { tempDir } from '../helpers/temp';

test('a message larger than the in-memory limit is streamed: same hashes, attachment intact', { timeout: 120_000 }, async () => {
  const dir = tempDir('casefile-large-');
  const file = path.join(dir, 'big.mbox');
  const payload = Buffer.alloc(26 * 1024 * 1024);
  for (let i = 0; i < payload.length; i++) payload[i] = (i * 2654435761) >>> 24;
  const b64 = payload.toString('base64').replace(/.{76}/g, '$&\n');
  const message = `From: a@example.org\nSubject: big\nMessage-ID: <big@x>\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nsee attached\n>From the archive\n--b\nContent-Type: application/octet-stream; name=blob.bin\nContent-Transfer-Encoding: base64\n\n${b64}\n--b--\n`;
  writeFileSync(file, `From a@example.org Mon Jan  1 00:00:00 2017\n${message}\n`);
  const offset = message.indexOf('From:') + 'From a@example.org Mon Jan  1 00:00:00 2017\n'.length;
  const length = Buffer.byteLength(message);
  assert.ok(length > 32 * 1024 * 1024);
  const rec = await parseSpan({ path: file, offset, length, quotedFrom: true });
  assert.equal(rec.length, length);
  assert.equal(rec.sha256, createHash('sha256').update(readFileSync(file).subarray(offset, offset + length)).digest('hex'));
  assert.equal(rec.subject, 'big');
  assert.equal(rec.attachments.length, 1);
  assert.equal(rec.attachments[0]!.size, payload.length);
  assert.equal(rec.attachments[0]!.sha256, createHash('sha256').update(payload).digest('hex'));
});
