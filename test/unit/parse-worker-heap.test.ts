import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { ParsePool } from '../../electron/engine/parse/parse-pool';
import { inflateText } from '../../electron/engine/util/raw-deflate';
import { tempDir } from '../helpers/temp';

// The parse workers' heap limits (PARSE_WORKER_HEAP, issue 15 item 3) keep their heaps small; a message far
// larger than the usual must still parse inside them, not crash its worker with "out of memory".
describe('parse worker heap limits', () => {
  const dir = tempDir('casefile-heap-');
  const file = path.join(dir, 'big.eml');
  // Deterministic content: a 40 MiB text body (a string of that size inside the parser) and a 24 MiB attachment.
  const line = 'The quick brown fox jumps over the lazy dog 0123456789.\r\n';
  const body = line.repeat(Math.ceil((40 * 1048576) / line.length));
  const attachment = Buffer.alloc(24 * 1048576);
  for (let i = 0; i < attachment.length; i++) attachment[i] = (i * 2654435761) >>> 24;
  const base64 = attachment.toString('base64').replace(/.{76}/g, '$&\r\n');
  writeFileSync(
    file,
    'From: A <a@example.org>\r\nSubject: big\r\nMessage-ID: <big@x>\r\nMIME-Version: 1.0\r\n' +
      'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n' +
      body +
      '\r\n--b\r\nContent-Type: application/octet-stream; name="data.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n' +
      base64 +
      '\r\n--b--\r\n',
  );
  const pool = new ParsePool(1, 120_000);
  after(() => pool.close());

  test('a 100 MiB message parses inside the limits: its attachment whole, its body read', async () => {
    const [out] = await pool.parse([{ path: file, offset: 0, length: statSync(file).size, quotedFrom: false }]);
    assert.ok(out && 'record' in out, JSON.stringify(out).slice(0, 500));
    assert.equal(out.record.subject, 'big');
    assert.deepEqual(
      out.record.attachments.map((a) => [a.filename, a.size, a.sha256]),
      [['data.bin', attachment.length, createHash('sha256').update(attachment).digest('hex')]],
    );
    const text = inflateText(out.record.textDeflated);
    assert.ok(text.startsWith(line.trim()), 'the body text is there');
  });
});

