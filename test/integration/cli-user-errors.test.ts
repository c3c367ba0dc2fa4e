import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { userFacingMessage } from '../../electron/engine/cli/user-errors';
import { ingest } from '../../electron/engine/ingest/ingest';
import { toMboxEntry } from '../fixtures/archive-generator';
import { cli } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

// Finding 12 of issue 16 (the CLI part): raw stack traces for SQLITE_BUSY, SQLITE_FULL/ENOSPC and a
// damaged case.sqlite; a query starting with "-" needed "--".

const noStackTrace = (stderr: string) => assert.doesNotMatch(stderr, /\n\s+at /, stderr);

describe('errors a user meets are one sentence and exit code 2', () => {
  const root = tempDir('casefile-usererr-');
  const caseDir = path.join(root, 'case');

  before(async () => {
    const mbox = path.join(root, 'ev', 'mail.mbox');
    mkdirSync(path.dirname(mbox));
    writeFileSync(mbox, ['budget', 'presse', 'budget presse'].map((w, i) => toMboxEntry(`From: a${i}@example.org\nSubject: ${w}\nMessage-ID: <u${i}@example.org>\n\n${w} du jour\n`)).join(''));
    await ingest({ caseDir, inputs: [mbox] });
  });

  test('a case another process is writing to: "busy", exit 2', () => {
    const holder = new Database(path.join(caseDir, 'case.sqlite'));
    try {
      holder.prepare('BEGIN IMMEDIATE').run(); // what a concurrent ingest's write transaction does
      const r = cli(['tag', caseDir, 'hot', '--id', '1']);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /the case is busy: another Casefile process/);
      noStackTrace(r.stderr);
    } finally {
      holder.prepare('ROLLBACK').run();
      holder.close();
    }
  });

  test('a damaged case.sqlite: "damaged", exit 2', () => {
    const copy = path.join(root, 'damaged');
    cpSync(caseDir, copy, { recursive: true });
    const file = path.join(copy, 'case.sqlite');
    const bytes = readFileSync(file);
    bytes.fill(0x5a, 0, 4096); // the header page overwritten
    writeFileSync(file, bytes);
    const r = cli(['stats', copy]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /the case database is damaged/);
    noStackTrace(r.stderr);
  });

  test('disk full (SQLite and file system codes) maps to one sentence', () => {
    for (const code of ['SQLITE_FULL', 'ENOSPC']) {
      assert.match(userFacingMessage(Object.assign(new Error('x'), { code }))!, /disk holding the case is full/);
    }
    assert.equal(userFacingMessage(new TypeError('a bug')), null, 'bugs keep their stack trace');
  });

  test('a query starting with "-" works without "--"', () => {
    const plain = cli(['search', caseDir, '-presse', '--json']);
    assert.equal(plain.status, 0, plain.stderr);
    const withDashes = cli(['search', caseDir, '--json', '--', '-presse']);
    const a = JSON.parse(plain.stdout);
    assert.equal(a.total, 1, 'only "budget" lacks presse');
    assert.deepEqual(a.hits.map((h: any) => h.id), JSON.parse(withDashes.stdout).hits.map((h: any) => h.id));
    assert.equal(cli(['search', caseDir, 'budget', '--limt', '3']).status, 1, 'a mistyped --option is still a usage error');
  });
});
