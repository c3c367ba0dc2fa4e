import type Database from 'better-sqlite3';
import { startWorker } from '../util/worker-entry';
import { WORKER_YOUNG_GENERATION_MB } from '../util/worker-heap';
import { updateCaseTerms } from './case-terms-build';
import { updatePairSlices } from './pair-slices-build';

/** What index-structures-worker.ts answers. */
export type IndexStructuresReply = { ok: true } | { ok: false; message: string };

/**
 * The index's case-wide structures brought up to date after an ingest: the term dictionary (`terms.bin`,
 * case-terms-build.ts) and the pair-filter sidecars (pair-slices-build.ts). Both read only shard files and
 * the shard records, and write only files of the index folder, so a worker thread builds them on its own
 * read-only connection while the ingest's thread refreshes the facets: one core each,
 * where they ran one after the other on one core and left the other idle (issue 15: ≈ 0.5 s at 500 MiB of
 * mail, ≈ 1.4 s at 1 GiB, growing with the shards). They are accelerators (search answers the same
 * without them), but an ingest has always left them current: should the worker fail, they are built on
 * `db` when the result is awaited, as before. Call once the last shard is recorded.
 */
export function buildIndexStructuresAside(db: Database.Database, caseDir: string): { done: Promise<'worker' | 'here'> } {
  const onThisThread = (): 'here' => {
    buildIndexStructuresHere(db, caseDir);
    return 'here';
  };
  const done = new Promise<'worker' | 'here'>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => 'worker' | 'here') => {
      if (settled) return;
      settled = true;
      try {
        resolve(outcome());
      } catch (err) {
        reject(err as Error); // as when they ran on this thread: the ingest reports it
      }
    };
    try {
      const worker = startWorker(import.meta.url, 'index-structures-worker', { workerData: { caseDir }, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
      worker.on('message', (reply: IndexStructuresReply) => settle(() => (reply.ok ? 'worker' : onThisThread())));
      worker.on('error', () => settle(onThisThread));
      worker.on('exit', () => settle(onThisThread));
    } catch {
      settle(onThisThread);
    }
  });
  // Awaited by the caller, unless the ingest failed meanwhile: a late fallback's error must not then be an
  // unhandled rejection (the caller that awaits still gets it).
  done.catch(() => undefined);
  // Returned in an object: awaiting a promise of it does not wait for the structures themselves.
  return { done };
}

/** The same structures built on this thread. */
export function buildIndexStructuresHere(db: Database.Database, caseDir: string): void {
  updateCaseTerms(db, caseDir);
  updatePairSlices(db, caseDir);
}

/**
 * Whether the case has a sealed shard, so a worker is worth starting. A case of one shard (up to ≈ 10,000
 * messages) gains nothing from it: its shard's structures take about what starting a worker does, and
 * waiting for that shard's last write before the facets held them up (100 MiB of mail: 0.1–0.3 s more).
 */
export function worthAWorker(db: Database.Database): boolean {
  return db.prepare('SELECT 1 FROM index_shards WHERE sealed = 1 LIMIT 1').get() !== undefined;
}
