import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { AUDIT_ANCHOR_FILE } from '../../electron/engine/store/audit-anchor';
import { CaseStore } from '../../electron/engine/store/case-store';
import { cli } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

// Finding 2 of issue 16: `audit --verify` passed after deleting the newest entry, the newest three, all
// entries, and after editing an entry and re-chaining.

/** The chain rule as documented (README "Audit log"), written independently of audit-log.ts. */
function rechain(db: Database.Database): void {
  let prev = '0'.repeat(64);
  for (const r of db.prepare('SELECT id, at, action, details_json FROM audit ORDER BY id').all() as any[]) {
    const hash = createHash('sha256').update(JSON.stringify([prev, r.at, r.action, r.details_json])).digest('hex');
    db.prepare('UPDATE audit SET prev_hash = ?, hash = ? WHERE id = ?').run(prev, hash, r.id);
    prev = hash;
  }
}

describe('audit chain head anchored outside the table', () => {
  const root = tempDir('casefile-anchor-');
  const original = path.join(root, 'original');
  let head = { entries: 0, hash: '' };

  before(() => {
    const store = CaseStore.open(original, { create: true });
    for (let i = 0; i < 6; i++) store.audit.append('note-set', { id: i + 1, text: `note ${i}` });
    // Entries appended inside a caller's transaction are anchored once it commits (or at close).
    store.db.transaction(() => store.audit.append('tag-added', { tag: 'x', ids: [1] }))();
    head = store.audit.headCount();
    store.close();
  });

  /** A copy of the case with `tamper` applied to its database (and optionally its files). */
  function tampered(name: string, tamper: (db: Database.Database, dir: string) => void) {
    const dir = path.join(root, name);
    cpSync(original, dir, { recursive: true });
    const db = new Database(path.join(dir, 'case.sqlite'));
    tamper(db, dir);
    db.close();
    const store = CaseStore.open(dir);
    try {
      return store.audit.verify();
    } finally {
      store.close();
    }
  }

  test('the untouched case verifies, every entry anchored', () => {
    const v = tampered('untouched', () => {});
    assert.equal(v.ok, true, JSON.stringify(v));
    assert.equal(v.entries, 8);
    assert.equal(v.anchor.anchored, 8);
  });

  const cases: [string, (db: Database.Database, dir: string) => void, RegExp][] = [
    ['newest entry deleted', (db) => db.exec('DELETE FROM audit WHERE id = (SELECT MAX(id) FROM audit)'), /newest 1 entries were deleted/],
    ['newest three deleted', (db) => db.exec('DELETE FROM audit WHERE id > (SELECT MAX(id) - 3 FROM audit)'), /newest 3 entries were deleted/],
    ['all entries deleted', (db) => db.exec('DELETE FROM audit'), /newest 8 entries were deleted/],
    [
      'an entry edited and the chain recomputed',
      (db) => {
        db.prepare(`UPDATE audit SET details_json = ? WHERE id = 3`).run(JSON.stringify({ id: 2, text: 'forged' }));
        rechain(db);
      },
      /re-chained/,
    ],
    [
      'an entry deleted from the middle and the chain recomputed',
      (db) => {
        db.exec('DELETE FROM audit WHERE id = 4');
        rechain(db);
      },
      /(deleted|re-chained)/,
    ],
    ['the anchor file deleted', (_db, dir) => rmSync(path.join(dir, AUDIT_ANCHOR_FILE)), /audit-head\.log is missing/],
  ];
  for (const [name, tamper, reason] of cases) {
    test(`detected: ${name}`, () => {
      const v = tampered(name.replace(/\W+/g, '-'), tamper);
      assert.equal(v.ok, false, name);
      assert.match(v.firstBad!.reason, reason);
    });
  }

  test('CLI: exit code 2 with the reason; a head from elsewhere (manifest) catches a rewrite of table and anchor together', () => {
    const deleted = path.join(root, 'cli-deleted');
    cpSync(original, deleted, { recursive: true });
    const db = new Database(path.join(deleted, 'case.sqlite'));
    db.exec('DELETE FROM audit WHERE id = (SELECT MAX(id) FROM audit)');
    db.close();
    const r = cli(['audit', deleted, '--verify']);
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.match(r.stdout, /BROKEN.*deleted/);

    // The attacker rewrites both the table and the anchor consistently: only an outside head shows it.
    const rewritten = path.join(root, 'cli-rewritten');
    cpSync(original, rewritten, { recursive: true });
    const db2 = new Database(path.join(rewritten, 'case.sqlite'));
    db2.exec('DELETE FROM audit WHERE id = (SELECT MAX(id) FROM audit)');
    db2.close();
    rmSync(path.join(rewritten, AUDIT_ANCHOR_FILE));
    assert.equal(cli(['audit', rewritten, '--anchor']).status, 0);
    assert.equal(cli(['audit', rewritten, '--verify']).status, 0, 'self-consistent again');
    const withHead = cli(['audit', rewritten, '--verify', '--head', `${head.entries}:${head.hash}`]);
    assert.equal(withHead.status, 2);
    assert.match(withHead.stdout, /NOT part of this audit chain/);
    assert.equal(cli(['audit', original, '--verify', '--head', `${head.entries}:${head.hash}`]).status, 0);
  });
});
