// Worker thread: builds a case's whole-index structures (the term dictionary `terms.bin` and the pair-filter
// sidecars) from the shards on disk, on its own read-only connection, while the ingest's thread does its
// other end phases (index-structures.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { openCaseReadOnly } from '../store/case-store';
import { buildIndexStructuresHere, type IndexStructuresReply } from './index-structures';

const { caseDir } = workerData as { caseDir: string };
let reply: IndexStructuresReply;
try {
  const db = openCaseReadOnly(caseDir);
  try {
    buildIndexStructuresHere(db, caseDir);
  } finally {
    db.close();
  }
  reply = { ok: true };
} catch (err) {
  reply = { ok: false, message: String((err as Error)?.message ?? err) };
}
parentPort!.postMessage(reply);
