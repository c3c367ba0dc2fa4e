import type { ApiMethod, ApiResult } from '../../../shared/api';
import { QueryError } from '../search/query-parser';
import { Searcher } from '../search/searcher';
import { CaseQueries } from '../store/case-queries';
import type { CaseStore } from '../store/case-store';
import { readOriginalBytes } from '../store/original-bytes';
import { messageBody } from './message-body';
import { ApiFailure, badRequest, intArg, objectArg, stringArg } from './validate';

export type HandlerTable = { [M in ApiMethod]: (args: unknown) => Promise<ApiResult<M>> };

/**
 * The one implementation of the contract in shared/api.ts, over an open case. Every argument is
 * validated here, whatever the transport (Electron IPC or the loopback harness).
 */
export function createHandlers(store: CaseStore): HandlerTable {
  const q = new CaseQueries(store.db);
  let searcher: Searcher | null = null;
  const notFound = (what: string) => new ApiFailure({ code: 'not-found', message: `${what} not found` });

  return {
    async stats(args) {
      objectArg(args);
      return q.stats();
    },
    async listMessages(args) {
      const o = objectArg(args);
      return q.list(intArg(o, 'limit', { min: 1, max: 5000, fallback: 100 }), intArg(o, 'offset', { fallback: 0 }));
    },
    async getMessage(args) {
      const id = intArg(objectArg(args), 'id', { min: 1 });
      return q.message(id) ?? Promise.reject(notFound(`message ${id}`));
    },
    async getBody(args) {
      const id = intArg(objectArg(args), 'id', { min: 1 });
      return (await messageBody(q, id)) ?? Promise.reject(notFound(`message ${id}`));
    },
    async getThread(args) {
      const id = intArg(objectArg(args), 'id', { min: 1 });
      const threadId = q.threadOfMessage(id);
      const thread = threadId === null ? null : q.thread(threadId);
      if (!thread) throw notFound(`thread of message ${id}`);
      return thread;
    },
    async search(args) {
      const o = objectArg(args);
      const query = stringArg(o, 'query');
      const sort = o.sort;
      if (sort !== undefined && sort !== 'date' && sort !== 'relevance') throw badRequest('sort must be "date" or "relevance"');
      searcher ??= new Searcher(store.db, store.dir).warm();
      try {
        return searcher.search(query, { limit: intArg(o, 'limit', { min: 1, max: 5000, fallback: 100 }), offset: intArg(o, 'offset', { fallback: 0 }), sort });
      } catch (err) {
        if (err instanceof QueryError) throw new ApiFailure({ code: 'bad-query', message: err.message, part: err.part });
        throw err;
      }
    },
    async getRaw(args) {
      const id = intArg(objectArg(args), 'id', { min: 1 });
      const loc = q.firstLocation(id);
      if (!loc) throw notFound(`message ${id}`);
      const bytes = await readOriginalBytes(loc);
      return { base64: bytes.toString('base64'), sha256: loc.sha256 };
    },
  };
}

/** Dispatch a call by name; unknown names are rejected (no prototype lookups, no dynamic access). */
export async function dispatch(table: HandlerTable, method: string, args: unknown): Promise<unknown> {
  if (!Object.prototype.hasOwnProperty.call(table, method)) throw badRequest(`unknown method ${JSON.stringify(method).slice(0, 80)}`);
  return table[method as ApiMethod](args);
}
