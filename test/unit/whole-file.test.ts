import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFileSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { isWholeFileSource, wholeFileEnd } from '../../electron/engine/ingest/whole-file';
import { parseSpan } from '../../electron/engine/parse/parse-span';
import type { SourceRow } from '../../electron/engine/store/source-registry';
import { tempDir } from '../helpers/temp';

const dir = tempDir('casefile-whole-file-');
const MESSAGE = 'From: a@example.org\r\nTo: b@example.org\r\nSubject: one file, one message\r\n\r\nBody.\r\n';

/** A .eml on disk and the row a registration would have made of it. */
function evidence(name: string): { file: string; row: SourceRow } {
  const file = path.join(dir, name);
  writeFileSync(file, MESSAGE);
  const st = statSync(file);
  return { file, row: { id: 1, path: file, kind: 'eml', size: st.size, ingestedOffset: 0, status: 'pending', mtimeMs: Math.trunc(st.mtimeMs), sha256: null } };
}

test('the parse worker hashes a whole-file message over exactly the file: its SHA-256 is the file SHA-256', async () => {
  const { file, row } = evidence('same.eml');
  const rec = await parseSpan({ path: file, offset: 0, length: row.size, quotedFrom: false });
  assert.equal(rec.length, row.size);
  assert.equal(rec.sha256, createHash('sha256').update(Buffer.from(MESSAGE)).digest('hex'));
  assert.deepEqual(wholeFileEnd(row, rec), { sha256: rec.sha256, notes: [] });
});

test('only a fresh .eml takes the whole-file path (a resumed or grown source takes the general one)', () => {
  const { row } = evidence('kinds.eml');
  assert.equal(isWholeFileSource(row, undefined), true);
  assert.equal(isWholeFileSource({ ...row, kind: 'mbox' }, undefined), false);
  assert.equal(isWholeFileSource({ ...row, kind: 'emlx' }, undefined), false);
  assert.equal(isWholeFileSource({ ...row, ingestedOffset: 10 }, undefined), false);
  assert.equal(isWholeFileSource(row, 'grew from 10 to 20 bytes'), false);
});

test('a file changed around the worker read is reported: fewer bytes fail the source, growth, mtime and removal warn', async () => {
  const short = evidence('short.eml');
  assert.match((wholeFileEnd(short.row, { sha256: 'x', length: short.row.size - 5 }) as { failed: string }).failed, /truncated while being read \(ended at byte \d+ of \d+\)/);

  const grown = evidence('grown.eml');
  appendFileSync(grown.file, 'more bytes\r\n');
  assert.match((wholeFileEnd(grown.row, { sha256: 'x', length: grown.row.size }) as { notes: string[] }).notes.join(), /grew during ingest/);

  const touched = evidence('touched.eml');
  utimesSync(touched.file, new Date(2001, 0, 1), new Date(2001, 0, 1));
  assert.match((wholeFileEnd(touched.row, { sha256: 'x', length: touched.row.size }) as { notes: string[] }).notes.join(), /modified during ingest/);

  const gone = evidence('gone.eml');
  unlinkSync(gone.file);
  const end = wholeFileEnd(gone.row, { sha256: 'x', length: gone.row.size }) as { sha256: string; notes: string[] };
  assert.equal(end.sha256, 'x');
  assert.match(end.notes.join(), /no longer there after it was read \(ENOENT\)/);
});
