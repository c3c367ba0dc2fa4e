// Worker thread: answers `search` requests on its own read-only connection to the case, so a long
// query never holds up the thread that serves the viewer's other requests (issue 16, finding 9).
import { parentPort, workerData } from 'node:worker_threads';
import type { SearchResult } from '../../../shared/types';
import { openCaseReadOnly } from '../store/case-store';
import { QueryError } from './query-error';
import { Searcher, type SearchOptions } from './searcher';

export type SearchRequest = { id: number; query: string; opts: SearchOptions };
export type SearchReply = { id: number; result: SearchResult } | { id: number; error: { message: string; part: string; query: boolean; name: string } };

const { caseDir } = workerData as { caseDir: string };
const db = openCaseReadOnly(caseDir);
const searcher = new Searcher(db, caseDir).warm();

parentPort!.on('message', (req: SearchRequest) => {
  let reply: SearchReply;
  try {
    reply = { id: req.id, result: searcher.search(req.query, req.opts) };
  } catch (err) {
    const e = err as Error;
    reply = { id: req.id, error: { message: e.message, part: err instanceof QueryError ? err.part : '', query: err instanceof QueryError, name: e.name } };
  }
  parentPort!.postMessage(reply);
});
