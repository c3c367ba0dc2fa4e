import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { generateMbox } from '../fixtures/archive-generator';
import { REPO } from '../helpers/corpora';
import { tempDir } from '../helpers/temp';

const BIN = path.join(REPO, 'bin/casefile.mjs');
const cliJson = (args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args, '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return r.status === 0 ? JSON.parse(r.stdout) : null; // the case may not exist yet
};

// Issue 15 item 4: the case is usable while ingest runs. A real ingest process runs on a generated
// archive; other processes (the CLI, as a second analyst or the viewer would) list and search the case
// meanwhile. Each answer counts only when the ingest was still running after it came back.
describe('progressive case', () => {
  test('list and search answer over what is stored and indexed so far while another process ingests', async () => {
    const mbox = path.join(tempDir('casefile-prog-ev-'), 'big.mbox');
    const stats = await generateMbox(mbox, 48 << 20, 15);
    const caseDir = path.join(tempDir('casefile-prog-cases-'), 'case');
    const ingest = spawn(process.execPath, [BIN, 'ingest', mbox, '--case', caseDir], { stdio: 'ignore' });
    const exited = new Promise((r) => ingest.once('exit', r));
    let listed: { total: number; messages: { id: number; source: { sha256: string } }[] } | null = null;
    let searched: { total: number; indexComplete: boolean; notIndexed: number; hits: { id: number }[] } | null = null;
    try {
      while (ingest.exitCode === null && !(listed && searched)) {
        await sleep(100);
        if (!existsSync(path.join(caseDir, 'case.sqlite'))) continue;
        if (!listed) {
          const page = cliJson(['list', caseDir, '--limit', '5']);
          if (page?.total > 0 && ingest.exitCode === null) listed = page;
        } else {
          const r = cliJson(['search', caseDir, 'campagne OR campaign']);
          if (r?.total > 0 && r.indexComplete === false && ingest.exitCode === null) searched = r;
        }
      }
    } finally {
      ingest.kill('SIGKILL'); // stop early: the rest of the archive proves nothing more
      await exited;
    }
    assert.ok(listed, 'list answered while the ingest was running');
    assert.ok(listed.total < stats.messages, `only part of the archive was stored (${listed.total} of ${stats.messages})`);
    assert.match(listed.messages[0]!.source.sha256, /^[0-9a-f]{64}$/, 'listed messages carry their source');
    assert.ok(searched, 'search answered with hits while the ingest was running');
    assert.ok(searched.notIndexed > 0, 'it says how many of the newest messages are not searchable yet');
    assert.ok(searched.total < stats.messages);
  });
});
