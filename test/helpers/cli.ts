import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import path from 'node:path';
import { REPO } from './corpora';

/** Run the real CLI (bin/casefile.mjs) as a user would. */
export function cli(args: string[], opts: { cwd?: string; encoding?: 'buffer' } = {}): SpawnSyncReturns<any> {
  return spawnSync(process.execPath, [path.join(REPO, 'bin/casefile.mjs'), ...args], {
    cwd: opts.cwd ?? REPO,
    encoding: opts.encoding === 'buffer' ? undefined : 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
}

export function cliJson<T = any>(args: string[]): T {
  const r = cli([...args, '--json']);
  if (r.status !== 0) throw new Error(`casefile ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
