import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { REPO } from '../helpers/corpora';
import { tempDir } from '../helpers/temp';

/** Every finding we keep, with why it is acceptable. Anything else fails the test. */
const JUSTIFIED: Record<string, string> = {
  PRELOAD_JS_CHECK: 'the preload exposes one function per contract method and no ipcRenderer (tested in electron-policy.test.ts)',
  CSP_GLOBAL_CHECK: "style-src 'unsafe-inline' only: React positions virtualized rows with inline styles; script-src is 'self', default-src 'none'",
};

test('electronegativity finds nothing unjustified in the Electron shell and renderer', { timeout: 180_000 }, () => {
  const dir = tempDir('casefile-eneg-');
  cpSync(path.join(REPO, 'electron'), path.join(dir, 'electron'), { recursive: true });
  cpSync(path.join(REPO, 'renderer'), path.join(dir, 'renderer'), { recursive: true });
  const out = path.join(dir, 'report.csv');
  const bin = path.join(REPO, 'node_modules/.bin/electronegativity');
  const r = spawnSync(bin, ['-i', dir, '-o', out, '-r', '-v', 'false', '-e', '38.8.6'], { encoding: 'utf8', timeout: 170_000 });
  assert.equal(r.status, 0, r.stderr);
  const findings = findingsOf(readFileSync(out, 'utf8'));
  assert.ok(findings.length > 0, 'the report was parsed');
  const unjustified = findings.filter((f) => !JUSTIFIED[f.check] || (f.check === 'CSP_GLOBAL_CHECK' && f.severity !== 'LOW'));
  assert.deepEqual(unjustified.map((f) => f.line), []);
});

/**
 * Findings of an electronegativity CSV report. Its quoting is not reliable (code samples with quotes and
 * line breaks), so records are found by their start: `<CHECK_NAME>,<SEVERITY>,` at the beginning of a line.
 */
function findingsOf(report: string): { check: string; severity: string; line: string }[] {
  const starts = [...report.matchAll(/^([A-Z][A-Z0-9_]*),"?(INFORMATIONAL|LOW|MEDIUM|HIGH|CRITICAL)"?,/gm)];
  return starts.map((m, i) => ({ check: m[1]!, severity: m[2]!, line: report.slice(m.index, starts[i + 1]?.index ?? report.length).trim() }));
}
