import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseMessage } from '../../electron/engine/parse/parse-message';
import { longHeader, manyAttachments } from '../fixtures/unparseable';

// Messages past mailsplit's own limits (1,000 MIME parts; 1 MiB of header per part): the parse fails, and
// the record must still come back promptly, with the top-level headers and a clear error.

test('a message with 1,200 attachments fails the parse promptly (it hung until the pool timeout) and keeps its headers', { timeout: 30_000 }, async () => {
  const rec = await parseMessage(Buffer.from(manyAttachments(1_200)));
  assert.equal(rec.messageId, 'many@unparseable.example');
  assert.equal(rec.subject, '1200 attachments');
  assert.match(rec.errors.find((e) => e.code === 'parse-failed')?.message ?? '', /child nodes/);
});

test('a 500,000-line header keeps sender, subject and Message-ID (it was stored as "no headers"), with the reason', { timeout: 60_000 }, async () => {
  const rec = await parseMessage(Buffer.from(longHeader(500_000)));
  const codes = rec.errors.map((e) => e.code);
  assert.ok(codes.includes('parse-failed') && codes.includes('headers-from-raw'), codes.join());
  assert.ok(!codes.includes('no-headers'), codes.join());
  assert.equal(rec.messageId, 'longheader@unparseable.example');
  assert.equal(rec.subject, '500000-line header');
  assert.deepEqual(rec.from, [{ name: 'Sender', address: 'sender@example.org' }]);
  assert.deepEqual(rec.to, [{ name: 'Desk', address: 'desk@example.org' }]);
  assert.equal(rec.dateHeader, 'Sat, 6 May 2017 10:00:00 +0200');
});
