import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { simpleParser } from 'mailparser';
import { isTypeMismatch, sniffType } from '../../electron/engine/parse/sniff';
import { REPO } from '../helpers/corpora';

test('text formats under image types (SVG, batch, JS, shell) and a PE under image/jpeg are flagged; unknown bytes stay unknown', async () => {
  const mail = await simpleParser(readFileSync(path.join(REPO, 'test/fixtures/hostile-display/disguises.eml')));
  const got = await Promise.all(mail.attachments.map(async (a) => [a.filename, a.contentType, await sniffType(a.content)] as const));
  assert.deepEqual(
    got.map(([name, declared, sniffed]) => [name, sniffed, isTypeMismatch(declared, sniffed)]),
    [
      ['invoice\u202efdp.exe', 'image/svg+xml', true],
      ['photo.jpg', 'application/x-bat', true],
      ['scan.gif', 'text/plain', true],
      ['chart.png', 'application/x-sh', true],
      ['logo.jpg', 'application/x-msdownload', true],
      ['unknown.png', null, false],
    ],
  );
});

test('SVG without an XML prolog, and HTML, under image/png', async () => {
  const svg = await sniffType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'));
  assert.equal(svg, 'image/svg+xml');
  assert.equal(isTypeMismatch('image/png', svg), true);
  const html = await sniffType(Buffer.from('\ufeff<!DOCTYPE html><script>alert(1)</script>'));
  assert.equal(html, 'text/html');
  assert.equal(isTypeMismatch('image/png', html), true);
});

test('text under its own or a text type is not a mismatch', () => {
  assert.equal(isTypeMismatch('image/svg+xml', 'image/svg+xml'), false);
  assert.equal(isTypeMismatch('text/plain; charset=utf-8', 'text/plain'), false);
  assert.equal(isTypeMismatch('text/csv', 'text/plain'), false);
  assert.equal(isTypeMismatch('text/html', 'text/html'), false);
  assert.equal(isTypeMismatch('application/octet-stream', 'application/x-bat'), false);
  assert.equal(isTypeMismatch('application/pdf', 'text/html'), true);
});
