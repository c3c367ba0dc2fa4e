import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, createWriteStream, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { before, describe, test } from 'node:test';
import yazl from 'yazl';
import { exportSet } from '../../electron/engine/export/export-set';
import { verifyExport } from '../../electron/engine/export/verify-export';
import { listFiles } from '../../electron/engine/export/zip';
import { ingest } from '../../electron/engine/ingest/ingest';
import { Searcher } from '../../electron/engine/search/searcher';
import { CaseStore } from '../../electron/engine/store/case-store';
import { toMboxEntry } from '../fixtures/archive-generator';
import { cli } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

// Finding 3 of issue 16: verify passed a zip with a data-carrying entry named like a folder, an added zip
// comment, a forged duplicate entry placed first, and a folder export with an extra symlink; bytes appended
// to a zip gave a stack trace and exit code 1 instead of a verdict.

/** Re-zip a folder export with extra entries before/after the genuine ones (as an attacker would). */
async function rezip(folder: string, out: string, extra: { first?: [string, Buffer][]; last?: [string, Buffer][]; comment?: string } = {}) {
  const zip = new yazl.ZipFile();
  for (const [name, data] of extra.first ?? []) zip.addBuffer(data, name);
  for (const rel of await listFiles(folder)) zip.addBuffer(readFileSync(path.join(folder, rel)), rel);
  for (const [name, data] of extra.last ?? []) zip.addBuffer(data, name);
  zip.end({ forceZip64Format: false, comment: extra.comment ?? '' });
  await pipeline(zip.outputStream, createWriteStream(out));
}

/** Rename an entry in place (local and central headers), keeping its length: how a "folder" gets data. */
function renameEntry(zipFile: string, from: string, to: string): void {
  assert.equal(from.length, to.length);
  const bytes = readFileSync(zipFile);
  const a = Buffer.from(from);
  let n = 0;
  for (let i = bytes.indexOf(a); i !== -1; i = bytes.indexOf(a, i + 1), n++) Buffer.from(to).copy(bytes, i);
  assert.equal(n, 2, 'name found in the local and the central header');
  writeFileSync(zipFile, bytes);
}

describe('verify rejects whatever the manifest does not account for, and never crashes', () => {
  const root = tempDir('casefile-vtamper-');
  const folder = path.join(root, 'export');

  before(async () => {
    const mbox = path.join(root, 'ev', 'mail.mbox');
    mkdirSync(path.dirname(mbox));
    writeFileSync(mbox, [1, 2, 3].map((i) => toMboxEntry(`From: a${i}@example.org\nSubject: exported ${i}\nMessage-ID: <v${i}@example.org>\n\nexported body ${i}\n`)).join(''));
    const caseDir = path.join(root, 'case');
    await ingest({ caseDir, inputs: [mbox] });
    const store = CaseStore.open(caseDir);
    try {
      await exportSet(store, () => new Searcher(store.db, store.dir), { selection: { query: 'exported' }, format: 'mbox', out: folder });
    } finally {
      store.close();
    }
    assert.equal((await verifyExport(folder)).ok, true, 'the genuine export verifies');
  });

  const zipCases: [string, (zip: string) => Promise<void>, RegExp][] = [
    ['a data-carrying entry whose name ends in "/"', async (zip) => {
      await rezip(folder, zip, { last: [['hiddenX', Buffer.from('a hidden payload')]] });
      renameEntry(zip, 'hiddenX', 'hidden/');
    }, /directory entry carrying/],
    ['an added zip comment', (zip) => rezip(folder, zip, { comment: 'see also http://example.org' }), /zip comment/],
    ['a forged duplicate entry placed first', (zip) => rezip(folder, zip, { first: [['messages.mbox', Buffer.from('From forged\n\nforged\n')]] }), /duplicate zip entry/],
    ['an unlisted file', (zip) => rezip(folder, zip, { last: [['readme.txt', Buffer.from('hello')]] }), /not listed/],
    ['bytes appended to the zip', async (zip) => {
      await rezip(folder, zip);
      appendFileSync(zip, 'appended bytes');
    }, /not a readable export/],
  ];
  for (const [name, make, reason] of zipCases) {
    test(`zip: ${name}`, async () => {
      const zip = path.join(root, `${name.replace(/\W+/g, '-')}.zip`);
      await make(zip);
      const r = await verifyExport(zip);
      assert.equal(r.ok, false);
      assert.match(JSON.stringify([r.unaccounted, r.error]), reason);
    });
  }

  test('a genuine re-zip still verifies (the checks do not reject honest zips)', async () => {
    const zip = path.join(root, 'honest.zip');
    await rezip(folder, zip);
    assert.equal((await verifyExport(zip)).ok, true);
  });

  test('folder: an extra symlink, an extra FIFO, and a listed file replaced by a symlink are rejected', async () => {
    const a = path.join(root, 'folder-link');
    cpSync(folder, a, { recursive: true });
    symlinkSync('manifest.json', path.join(a, 'extra-link'));
    spawnSync('mkfifo', [path.join(a, 'pipe')]);
    const r = await verifyExport(a);
    assert.equal(r.ok, false);
    assert.deepEqual(r.extra, ['extra-link', 'pipe']);
    assert.match(JSON.stringify(r.unaccounted), /symbolic link/);

    const b = path.join(root, 'folder-swapped');
    cpSync(folder, b, { recursive: true });
    const real = path.join(root, 'outside.mbox');
    cpSync(path.join(b, 'messages.mbox'), real);
    rmSync(path.join(b, 'messages.mbox'));
    symlinkSync(real, path.join(b, 'messages.mbox'));
    const r2 = await verifyExport(b);
    assert.equal(r2.ok, false, 'same bytes behind a link are still not the export');
  });

  test('CLI: appended bytes give a verdict and exit code 2, no stack trace', async () => {
    const zip = path.join(root, 'cli-appended.zip');
    await rezip(folder, zip);
    appendFileSync(zip, 'appended bytes');
    const r = cli(['verify', zip]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stdout, /FAILED/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
});
