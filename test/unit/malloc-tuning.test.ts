import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { MALLOC_TUNING, withMallocTuning } from '../../bin/malloc-tuning.cjs';
import { REPO } from '../helpers/corpora';
import { tempDir } from '../helpers/temp';

// bin/malloc-tuning.cjs (issue 15 item 3): the ingest's process gets glibc's malloc tuned, a value the user set wins,
// and `casefile ingest` replaces itself (same process id) rather than starting a child a `kill -9` would orphan.
const TUNING_MODULE = path.join(REPO, 'bin/malloc-tuning.cjs');
const realExecve = typeof (process as any).execve === 'function';

/** Runs `body` in a new Node process with `env`; returns what it printed as JSON. */
function inChild(body: string, env: NodeJS.ProcessEnv = {}): any {
  const script = path.join(tempDir('casefile-malloc-'), 'child.cjs');
  writeFileSync(script, `const tuning = require(${JSON.stringify(TUNING_MODULE)});\n${body}\n`);
  const base = { ...process.env };
  delete base.MALLOC_MMAP_THRESHOLD_;
  const r = spawnSync(process.execPath, [script, 'ingest', 'archive.mbox'], { encoding: 'utf8', env: { ...base, ...env } });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

/** A stand-in for process.execve that prints what it was given (Node 20 has none). */
const FAKE_EXECVE = `process.execve = (file, args, env) => { console.log(JSON.stringify({ file, args, threshold: env.MALLOC_MMAP_THRESHOLD_, path: env.PATH })); process.exit(0); };`;

describe('glibc malloc tuning of the ingest process', () => {
  test('the tuning is added to an environment, and a value the user set is kept', () => {
    assert.deepEqual(MALLOC_TUNING, { MALLOC_MMAP_THRESHOLD_: '65536' });
    const env = withMallocTuning({ PATH: '/bin' });
    assert.equal(env.MALLOC_MMAP_THRESHOLD_, '65536');
    assert.equal(env.PATH, '/bin');
    assert.equal(withMallocTuning({ MALLOC_MMAP_THRESHOLD_: '131072' }).MALLOC_MMAP_THRESHOLD_, '131072');
  });

  test('execTuned replaces the process with the same command, its environment and the tuning (Linux, not yet set)', { skip: process.platform !== 'linux' ? 'Linux only' : false }, () => {
    const r = inChild(`${FAKE_EXECVE}\ntuning.execTuned(); console.log(JSON.stringify({ ran: 'here' }));`);
    assert.equal(r.file, process.execPath);
    assert.deepEqual(r.args.slice(-3).map((a: string) => path.basename(a)), ['child.cjs', 'ingest', 'archive.mbox']);
    assert.equal(r.args[0], process.execPath);
    assert.equal(r.threshold, '65536');
    assert.equal(r.path, process.env.PATH);
  });

  test('execTuned leaves the process alone when the user set the variable, or off Linux', () => {
    assert.deepEqual(inChild(`${FAKE_EXECVE}\nconsole.log(JSON.stringify({ replaced: tuning.execTuned() }));`, { MALLOC_MMAP_THRESHOLD_: '1048576' }), { replaced: false });
    assert.deepEqual(inChild(`${FAKE_EXECVE}\nconsole.log(JSON.stringify({ replaced: tuning.execTuned(process.env, 'darwin') }));`), { replaced: false });
  });

  test('with a real process.execve the ingest keeps its process id and runs tuned', { skip: !realExecve || process.platform !== 'linux' ? `process.execve needs Node ≥ 22.15 on Linux (this is Node ${process.versions.node} on ${process.platform}): the CLI ingest runs untuned here` : false }, () => {
    const body = `if (process.env.MALLOC_MMAP_THRESHOLD_) console.log(JSON.stringify({ pid: process.pid, before: Number(process.env.BEFORE), threshold: process.env.MALLOC_MMAP_THRESHOLD_ }));
else { process.env.BEFORE = String(process.pid); tuning.execTuned(); console.log(JSON.stringify({ replaced: false })); }`;
    const r = inChild(body);
    assert.equal(r.threshold, '65536');
    assert.equal(r.pid, r.before);
  });

  test('the ingest reports the threshold it runs with (tuned where Node can exec, else glibc default)', () => {
    const dir = tempDir('casefile-malloc-ingest-');
    const mbox = path.join(dir, 'one.mbox');
    writeFileSync(mbox, 'From a@example.org Mon Jan  1 00:00:00 2024\nFrom: a@example.org\nSubject: hello\nMessage-ID: <1@example.org>\n\nbody\n');
    const env: NodeJS.ProcessEnv = { ...process.env, CASEFILE_PHASES: '1' };
    delete env.MALLOC_MMAP_THRESHOLD_;
    const r = spawnSync(process.execPath, [path.join(REPO, 'bin/casefile.mjs'), 'ingest', mbox, '--case', path.join(tempDir('casefile-malloc-case-'), 'case')], { encoding: 'utf8', env });
    assert.equal(r.status, 0, r.stderr);
    const start = r.stderr.split('\n').find((l) => / start \(/.test(l));
    assert.ok(start, r.stderr);
    const expected = realExecve && process.platform === 'linux' ? '65536' : "glibc's default";
    assert.match(start, new RegExp(`malloc mmap threshold ${expected}\\)`));
  });
});
