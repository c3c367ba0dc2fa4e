import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { ingest } from '../../electron/engine/ingest/ingest';
import { generateMbox } from '../fixtures/archive-generator';
import { cli } from '../helpers/cli';
import { REPO } from '../helpers/corpora';
import { tempDir } from '../helpers/temp';

/** The database after a kill: structurally sound and its audit chain intact. */
function assertConsistent(caseDir: string) {
  const db = new Database(path.join(caseDir, 'case.sqlite'));
  assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  assert.deepEqual(db.pragma('foreign_key_check'), []);
  db.close();
  const audit = cli(['audit', caseDir, '--verify']);
  assert.equal(audit.status, 0, audit.stdout + audit.stderr);
}

describe('kill -9 never loses an acknowledged change or leaves a half export looking complete', () => {
  const evidence = tempDir('casefile-kill-ev-');
  const cases = tempDir('casefile-kill-cases-');
  const caseDir = path.join(cases, 'case');
  const archive = path.join(evidence, 'archive.mbox');

  before(async () => {
    await generateMbox(archive, 12 * 1024 * 1024, 11, 3000);
    await ingest({ caseDir, inputs: [archive] });
  });

  test('kill -9 during tagging: every acknowledged tag is there, bulk tags are all-or-nothing', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO, 'test/helpers/tag-loop.ts'), caseDir], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        if ((out.match(/^ack /gm) ?? []).length >= 400) resolve();
      });
      child.on('exit', () => reject(new Error(`tag loop exited early: ${stderr}`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    assertConsistent(caseDir);

    const db = new Database(path.join(caseDir, 'case.sqlite'), { readonly: true });
    const has = db.prepare('SELECT 1 FROM message_tags mt JOIN tags t ON t.id = mt.tag_id WHERE t.name = ? AND mt.message_id = ?');
    const acks = [...out.matchAll(/^ack (\d+) (\d+)$/gm)].map((m) => [Number(m[1]), Number(m[2])] as const);
    assert.ok(acks.length >= 400);
    for (const [round, id] of acks) assert.ok(has.get(`single-${round}`, id), `acknowledged tag single-${round} on ${id} survived`);
    const total = (db.prepare('SELECT COUNT(*) n FROM messages').get() as { n: number }).n;
    const bulkCounts = db.prepare("SELECT t.name, COUNT(mt.message_id) n FROM tags t LEFT JOIN message_tags mt ON mt.tag_id = t.id WHERE t.name LIKE 'bulk-%' GROUP BY t.id").all() as { name: string; n: number }[];
    assert.ok(bulkCounts.length >= 10);
    for (const b of bulkCounts) assert.ok(b.n === total || b.n === 0, `${b.name}: ${b.n} of ${total} — a bulk tag must be all or nothing`);
    const acked = [...out.matchAll(/^bulk (\d+) (\d+)$/gm)].map((m) => `bulk-${m[1]}-${m[2]}`);
    for (const name of acked) assert.equal(bulkCounts.find((b) => b.name === name)?.n, total, `${name} acknowledged and complete`);
    db.close();
  });

  test('kill -9 during an export: no output appears, nothing claims completeness, a rerun succeeds', async () => {
    const outs = tempDir('casefile-kill-out-');
    const out = path.join(outs, 'set');
    const child = spawn(process.execPath, [path.join(REPO, 'bin/casefile.mjs'), 'export', caseDir, '--query', 'has:attachment OR campaign', '--format', 'eml', '--attachments', '--out', out], {
      cwd: REPO,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    // Kill once the export has written some files into its temporary folder.
    for (let i = 0; i < 1200; i++) {
      await new Promise((r) => setTimeout(r, 25));
      const partial = readdirSync(outs).find((n) => n.startsWith('set.partial-'));
      if (partial && existsSync(path.join(outs, partial, 'eml')) && readdirSync(path.join(outs, partial, 'eml')).length > 20) break;
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    assert.ok(!existsSync(out), 'the final export path never appears for a killed export');
    const partials = readdirSync(outs).filter((n) => n.startsWith('set.partial-'));
    assert.equal(partials.length, 1, 'the kill happened mid-export');
    assert.ok(!existsSync(path.join(outs, partials[0]!, 'manifest.json')), 'a half export has no manifest');
    assertConsistent(caseDir);
    const audit = JSON.parse(cli(['audit', caseDir, '--json']).stdout);
    assert.ok(!audit.some((e: any) => e.action === 'export-written'), 'no export recorded');

    const rerun = cli(['export', caseDir, '--query', 'has:attachment OR campaign', '--format', 'eml', '--attachments', '--out', out]);
    assert.equal(rerun.status, 0, rerun.stderr);
    assert.equal(cli(['verify', out]).status, 0);
  });
});
