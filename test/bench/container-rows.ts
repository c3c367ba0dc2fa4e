// Benchmark rows for archives: the same generated mbox bare, inside a zip (deflate) and inside a tar.gz,
// ingested in the same run; time relative to the bare mbox, and peak RSS.
import { existsSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packTar, packZip } from '../fixtures/pack-archives';
import { mib, runChild } from './bench-util';

const here = path.dirname(fileURLToPath(import.meta.url));
type Run = { seconds: number; messages: number; duplicates: number; maxRssBytes: number };

async function packed(mbox: string, kind: 'zip' | 'tar.gz'): Promise<string> {
  const out = `${mbox}.${kind}`;
  if (existsSync(out)) return out;
  process.stderr.write(`packing ${out}…\n`);
  const files: [string, string][] = [[path.basename(mbox), mbox]];
  if (kind === 'zip') await packZip(files, `${out}.partial`);
  else await packTar(files, `${out}.partial`);
  renameSync(`${out}.partial`, out);
  return out;
}

export async function containerRows(mbox: string): Promise<string[]> {
  const rows: string[] = [];
  const caseRoot = mkdtempSync(path.join(os.tmpdir(), 'casefile-bench-containers-'));
  try {
    const sources = { mbox, zip: await packed(mbox, 'zip'), 'tar.gz': await packed(mbox, 'tar.gz') };
    let bare: Run | null = null;
    for (const [label, file] of Object.entries(sources)) {
      const run = runChild<Run>(path.join(here, 'ingest-child.ts'), [file, path.join(caseRoot, label), 'no-index']);
      rmSync(path.join(caseRoot, label), { recursive: true, force: true });
      bare ??= run;
      rows.push(
        [
          `${mib(statSync(mbox).size)} MiB mbox ${label === 'mbox' ? 'bare' : `in ${label} (${mib(statSync(file).size)} MiB)`}`,
          `${run.messages + run.duplicates} msgs`,
          `ingest ${run.seconds.toFixed(2)} s`,
          `${(run.seconds / bare.seconds).toFixed(2)}x bare`,
          `peak RSS ${mib(run.maxRssBytes)} MiB`,
        ].join(' | '),
      );
      console.log(rows[rows.length - 1]);
    }
  } finally {
    rmSync(caseRoot, { recursive: true, force: true });
  }
  return rows;
}

// Run alone: node --import tsx test/bench/container-rows.ts [MiB]
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { benchArchive } = await import('./bench-util');
  await containerRows(await benchArchive(Number(process.argv[2] ?? 1024)));
}
