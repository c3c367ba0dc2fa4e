import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateMbox } from '../fixtures/archive-generator';

export const BENCH_DIR = process.env.CASEFILE_BENCH_DIR ?? path.join(os.tmpdir(), 'casefile-bench');

/** The generated archive of about `mib` MiB (cached between runs: same seed, same bytes). */
export async function benchArchive(mib: number): Promise<string> {
  mkdirSync(path.join(BENCH_DIR, 'evidence'), { recursive: true });
  const file = path.join(BENCH_DIR, 'evidence', `generated-${mib}MiB.mbox`);
  if (!existsSync(file) || statSync(file).size < mib * 1024 * 1024) {
    process.stderr.write(`generating ${file}…\n`);
    await generateMbox(file, mib * 1024 * 1024, 2017);
  }
  return file;
}

/** Wall time of `sha256sum` on the file (the baseline every ratio is against). */
export function sha256sumSeconds(file: string): number {
  const t = process.hrtime.bigint();
  const r = spawnSync('sha256sum', [file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sha256sum failed: ${r.stderr}`);
  return Number(process.hrtime.bigint() - t) / 1e9;
}

export function mib(bytes: number): string {
  return (bytes / 1048576).toFixed(0);
}

export function parseSizes(arg: string | undefined, fallback: number[]): number[] {
  if (!arg) return fallback;
  const sizes = arg.split(',').map(Number).filter((n) => n > 0);
  if (sizes.length === 0) throw new Error(`not a list of sizes: ${arg}`);
  return sizes;
}

/**
 * A list of sizes from the command line: `--name 1000,1000000` (or `--name=…`), else the `position`-th
 * plain argument (the older form, `npm run bench:search -- 10000,100000`), else `fallback`.
 */
export function sizesOption(name: string, position: number, fallback: number[], argv = process.argv.slice(2)): number[] {
  const at = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (at >= 0) return parseSizes(argv[at]!.includes('=') ? argv[at]!.split('=')[1] : argv[at + 1], fallback);
  const plain = argv.filter((a, i) => !a.startsWith('--') && !(argv[i - 1]?.startsWith('--') && !argv[i - 1]!.includes('=')));
  return parseSizes(plain[position], fallback);
}

/** Run a TypeScript script in a fresh Node process (so its peak RSS is its own); returns its JSON line. */
export function runChild<T>(script: string, args: string[]): T {
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`${script} exited ${r.status}`);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as T;
}
