// Worker thread: builds a case's whole-index structures (the term dictionary `terms.bin` and the pair-filter
// sidecars) from the shards on disk, on its own read-only connection, while the ingest's thread does its
// other end phases (index-structures.ts).
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { DB_FILE } from '../store/case-store';
import { updateCaseTerms } from './case-terms-build';
import { updatePairSlices } from './pair-slices-build';

export type IndexStructuresReply = { ok: true } | { ok: false; message: string };

const { caseDir } = workerData as { caseDir: string };
let reply: IndexStructuresReply;
try {
  const db = new Database(path.join(caseDir, DB_FILE), { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    updateCaseTerms(db, caseDir);
    updatePairSlices(db, caseDir);
  } finally {
    db.close();
  }
  reply = { ok: true };
} catch (err) {
  reply = { ok: false, message: String((err as Error)?.message ?? err) };
}
parentPort!.postMessage(reply);
