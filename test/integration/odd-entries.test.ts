import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ingest } from '../../electron/engine/ingest/ingest';
import { REPO } from '../helpers/corpora';
import { tempDir } from '../helpers/temp';

// Finding 11 of issue 16: one odd entry in an evidence folder aborted the whole ingest; FIFOs were ignored
// silently even when named.

const eml = (n: string) => `From: a@example.org\nTo: b@example.org\nSubject: ${n}\nMessage-ID: <${n}@example.org>\nDate: Mon, 3 Apr 2017 10:00:00 +0200\n\nbody ${n}\n`;

function oddFolder(root: string): { dir: string; latin1Name: Buffer; fifo: string } {
  const dir = path.join(root, 'evidence');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'good.eml'), eml('good'));
  symlinkSync('loop', path.join(dir, 'loop')); // a link to itself: ELOOP
  symlinkSync('missing-target.eml', path.join(dir, 'dangling'));
  symlinkSync('.', path.join(dir, 'cycle')); // a folder that contains itself
  mkdirSync(path.join(dir, 'sub'));
  writeFileSync(path.join(dir, 'sub', 'nested.eml'), eml('nested'));
  const latin1Name = Buffer.concat([Buffer.from(dir + '/caf'), Buffer.from([0xe9]), Buffer.from('.eml')]);
  writeFileSync(latin1Name, eml('latin1'));
  const fifo = path.join(dir, 'pipe');
  const made = spawnSync('mkfifo', [fifo]);
  assert.equal(made.status, 0, 'mkfifo available');
  return { dir, latin1Name, fifo };
}

describe('odd entries in an evidence folder', () => {
  test('symlink loop, dangling link, link cycle, non-UTF-8 name and FIFO are reported; the rest is ingested', { timeout: 60_000 }, async () => {
    const root = tempDir('casefile-odd-');
    const { dir, latin1Name } = oddFolder(root);
    const summary = await ingest({ caseDir: path.join(tempDir('casefile-odd-case-'), 'c'), inputs: [dir], index: false });
    assert.equal(summary.messages, 2, 'good.eml and sub/nested.eml');
    const reasons = Object.fromEntries((summary.skipped ?? []).map((s) => [path.basename(s.path), s]));
    assert.match(reasons['loop']!.reason, /symbolic link loop/);
    assert.match(reasons['dangling']!.reason, /dangling symbolic link/);
    assert.match(reasons['cycle']!.reason, /already visited/);
    assert.match(reasons['pipe']!.reason, /FIFO/);
    const latin1 = (summary.skipped ?? []).find((s) => s.pathHex);
    assert.ok(latin1, 'the non-UTF-8 name is reported');
    assert.equal(latin1.pathHex, latin1Name.toString('hex'), 'with its exact bytes');
    assert.match(latin1.reason, /not valid UTF-8/);
    for (const s of summary.skipped ?? []) assert.ok(summary.skippedSources.some((line) => line.includes(s.reason)));
  });

  test('a FIFO named on the command line is reported, not ignored and not opened', { timeout: 60_000 }, async () => {
    const { fifo, dir } = oddFolder(tempDir('casefile-odd-fifo-'));
    const summary = await ingest({ caseDir: path.join(tempDir('casefile-odd-case-'), 'c'), inputs: [fifo, path.join(dir, 'good.eml')], index: false });
    assert.equal(summary.messages, 1);
    assert.match(summary.skippedSources.join('\n'), /pipe: named pipe \(FIFO\)/);
  });

  test('unreadable file and folder (a non-root user) are reported; the rest is ingested', { timeout: 60_000 }, (t) => {
    if (process.getuid?.() !== 0) {
      t.skip('needs root to run the CLI as another user (chmod 000 does not stop root)');
      return;
    }
    const root = tempDir('casefile-odd-perm-');
    chmodSync(root, 0o777);
    const dir = path.join(root, 'evidence');
    mkdirSync(dir, { mode: 0o755 });
    writeFileSync(path.join(dir, 'good.eml'), eml('good'), { mode: 0o644 });
    writeFileSync(path.join(dir, 'secret.eml'), eml('secret'), { mode: 0o000 });
    mkdirSync(path.join(dir, 'locked'), { mode: 0o755 });
    writeFileSync(path.join(dir, 'locked', 'inner.eml'), eml('inner'), { mode: 0o644 });
    chmodSync(path.join(dir, 'locked'), 0o000);
    const caseDir = path.join(root, 'case');
    const run = spawnSync(process.execPath, [path.join(REPO, 'bin/casefile.mjs'), 'ingest', dir, '--case', caseDir, '--json'], {
      uid: 65534,
      gid: 65534,
      encoding: 'utf8',
      cwd: root,
      env: { ...process.env, HOME: root },
    });
    assert.equal(run.status, 0, run.stderr);
    const summary = JSON.parse(run.stdout);
    assert.equal(summary.messages, 1);
    const reasons = Object.fromEntries(summary.skipped.map((s: any) => [path.basename(s.path), s.reason]));
    assert.match(reasons['secret.eml'], /cannot be read \(EACCES\)/);
    assert.match(reasons['locked'], /folder cannot be read \(EACCES\)/);
  });
});
