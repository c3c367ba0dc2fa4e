import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { freshBundle, freshFastBundle } from '../../bin/cli-bundle.cjs';
import { buildCli } from '../../scripts/build-cli.mjs';
import { corpus, needsCorpora, REPO } from '../helpers/corpora';
import { tempDir } from '../helpers/temp';

// The compiled CLI (issue 15 item 1): built into a temp folder, it must answer exactly what the
// TypeScript sources answer, workers included (ingest runs the parse and index workers from the bundle).
describe('compiled CLI (dist-cli)', () => {
  // Inside the checkout (test/output is ignored by git): the bundle finds its npm packages in node_modules.
  const dist = path.join(REPO, 'test/output', `dist-cli-${process.pid}`);
  after(() => rmSync(dist, { recursive: true, force: true }));
  const cases = tempDir('casefile-cli-cases-');
  let built: { files: number };

  const run = (via: 'bundle' | 'source', args: string[]) => {
    const r = spawnSync(process.execPath, [path.join(REPO, 'bin/casefile.cjs'), ...args], {
      cwd: REPO,
      encoding: 'utf8',
      env: { ...process.env, ...(via === 'source' ? { CASEFILE_CLI: 'source' } : { CASEFILE_CLI_DIST: dist, CASEFILE_CODE_CACHE_LOG: '1' }) },
    });
    assert.equal(r.status, 0, `${via}: casefile ${args.join(' ')}: ${r.stderr}`);
    // `search` and `list` run their single-command bundles with the code cache the build wrote.
    if (via === 'bundle' && (args[0] === 'search' || args[0] === 'list')) assert.match(r.stderr, new RegExp(`code cache used \\(${args[0]}\\.cjs\\)`));
    return r.stdout;
  };
  // Timings differ from run to run; everything else must be identical.
  const same = (text: string) => JSON.parse(text, (k, v) => (k === 'tookMs' || k === 'seconds' ? 0 : v));

  test('the build records every source file it compiled, and the bundle is stale once one changes', async () => {
    built = await buildCli(dist);
    const manifest = JSON.parse(readFileSync(path.join(dist, 'manifest.json'), 'utf8'));
    assert.ok(manifest.inputs['electron/engine/cli/main.ts'], 'the CLI entry is recorded');
    assert.ok(manifest.inputs['electron/engine/parse/parse-worker.ts'], 'the workers are compiled too');
    const fastInputs = new Set<string>(manifest.fast.search.inputs);
    assert.ok(fastInputs.has('electron/engine/search/searcher.ts'), 'the search bundle records its own sources');
    assert.ok(!Object.keys(manifest.inputs).some((f) => f.includes('node_modules') && !fastInputs.has(f)), 'npm packages stay external (the fast bundles compile in lunr and better-sqlite3\'s JavaScript)');
    assert.equal(Object.keys(manifest.inputs).length, built.files);
    assert.equal(freshBundle(dist), `file://${path.join(dist, 'casefile.js')}`);
    assert.equal(freshFastBundle('search', dist), path.join(dist, 'fast/search.cjs'));
    assert.equal(freshFastBundle('list', dist), path.join(dist, 'fast/list.cjs'));
    assert.equal(freshFastBundle('show', dist), null, 'a command without a fast bundle (show starts a worker) runs the whole CLI');

    const edited = structuredClone(manifest);
    edited.inputs['electron/engine/search/searcher.ts'][0] -= 1000; // as if the source were edited after the build
    writeFileSync(path.join(dist, 'manifest.json'), JSON.stringify(edited));
    assert.equal(freshBundle(dist), null, 'a changed source makes the bundle stale');
    assert.equal(freshFastBundle('search', dist), null, 'and the search bundle, which holds it');
    edited.inputs = { ...manifest.inputs, 'electron/engine/cli/gone.ts': [0, 1] };
    writeFileSync(path.join(dist, 'manifest.json'), JSON.stringify(edited));
    assert.equal(freshBundle(dist), null, 'a deleted source makes it stale');
    const stale = spawnSync(process.execPath, [path.join(REPO, 'bin/casefile.cjs'), '--help'], { cwd: REPO, encoding: 'utf8', env: { ...process.env, CASEFILE_CLI_DIST: dist } });
    assert.equal(stale.status, 0, stale.stderr);
    assert.match(stale.stderr, /dist-cli\/ is older than the sources; running the TypeScript sources/, 'a stale build is said on stderr, not run');
    writeFileSync(path.join(dist, 'manifest.json'), JSON.stringify(manifest));
    assert.equal(freshBundle(path.join(dist, 'nowhere')), null, 'not built: run the sources');
  });

  test('ingest, list, search and show give the same output compiled and from source', needsCorpora, () => {
    const maildir = corpus('notmuch-corpora/test/corpora/default');
    const out = { bundle: '', source: '' } as Record<'bundle' | 'source', string>;
    for (const via of ['bundle', 'source'] as const) {
      const caseDir = path.join(cases, via);
      const summary = same(run(via, ['ingest', maildir, '--case', caseDir, '--json']));
      assert.ok(summary.messages > 40, `${via}: the corpus was ingested (${summary.messages})`);
      const list = same(run(via, ['list', caseDir, '--json', '--limit', '1000']));
      const id = String(list.messages[0].id);
      out[via] = JSON.stringify([
        summary,
        list,
        same(run(via, ['search', caseDir, 'notmuch OR "git repository"', '--json'])),
        same(run(via, ['search', caseDir, 'patch*', '--json', '--sort', 'date'])),
        same(run(via, ['search', caseDir, 'notmch~1 -"git repository"', '--json'])),
        same(run(via, ['show', caseDir, id, '--json'])),
      ]);
    }
    assert.ok(freshBundle(dist), 'the bundle was up to date, so the bundle runs compared above were compiled code');
    assert.equal(out.bundle, out.source);
  });
});
