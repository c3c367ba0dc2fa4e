import type { ApiMethod, ApiResult } from '../../../shared/api';
import { ExportError } from '../export/export-set';
import { TagError, TagStore } from '../tags/tag-store';
import { resolveSelection } from '../tags/selection';
import { ApiEventBus } from './event-bus';
import { ExportJobs } from './export-jobs';
import { IngestJobs } from './ingest-jobs';
import { OcrJobs } from './ocr-jobs';
import { exportRequestArg, selectionArg } from './validate-requests';
import { QueryError } from '../search/query-parser';
import { Searcher } from '../search/searcher';
import { highlighter } from '../search/highlight';
import { SearchPool } from '../search/search-pool';
import { CaseQueries } from '../store/case-queries';
import type { CaseStore } from '../store/case-store';
import { readOriginalBytes, readOriginalPrefix } from '../store/original-bytes';
import { attachmentBytes } from './attachment-bytes';
import { displayLimits } from './display-limits';
import { messageBody } from './message-body';
import { resolveInputs } from './ingest-inputs';
import { importKeyFile } from './import-keys';
import { versionSides } from '../store/message-versions';
import { FacetService } from '../facets/facet-service';
import { DocumentQueries } from '../documents/document-queries';
import { DOCUMENT_SORTS, type DocumentSort } from '../../../shared/types';
import { ApiFailure, badRequest, intArg, objectArg, stringArg } from './validate';

export type HandlerTable = { [M in ApiMethod]: (args: unknown) => Promise<ApiResult<M>> };

/**
 * The one implementation of the contract in shared/api.ts, over an open case. Every argument is
 * validated here, whatever the transport (Electron IPC or the loopback harness).
 */
export function createHandlers(store: CaseStore, events: ApiEventBus = new ApiEventBus()): HandlerTable {
  const q = new CaseQueries(store.db);
  let searcher: Searcher | null = null;
  const notFound = (what: string) => new ApiFailure({ code: 'not-found', message: `${what} not found` });
  let searcherAt = 0;
  // While an ingest runs, the searcher is renewed every few seconds so that search fills as messages arrive.
  const getSearcher = () => {
    if (searcher && ingests.current().state === 'running' && Date.now() - searcherAt > 3000) searcher = null;
    if (!searcher) searcherAt = Date.now();
    return (searcher ??= new Searcher(store.db, store.dir).warm());
  };
  const searches = new SearchPool(store.dir);
  const tags = new TagStore(store.db, store.audit);
  const facets = new FacetService(store.db, getSearcher, store.dir);
  const restriction = (f: unknown) => facets.restriction(f);
  const exports = new ExportJobs(store, getSearcher, events, restriction);
  // New messages mean new shards and ids: the searcher is rebuilt on the next search.
  const ingests = new IngestJobs(store, events, () => (searcher = null));
  const ocr = new OcrJobs(store, () => (searcher = null));
  const docs = new DocumentQueries(store.db);

  return {
    async stats(args) {
      objectArg(args);
      return q.stats();
    },
    async listMessages(args) {
      const o = objectArg(args);
      if (o.order !== undefined && o.order !== 'asc' && o.order !== 'desc') throw badRequest('order must be "asc" or "desc"');
      return q.list(intArg(o, 'limit', { min: 1, max: 5000, fallback: 100 }), intArg(o, 'offset', { fallback: 0 }), o.order === 'desc' ? 'desc' : 'asc');
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
      if (sort !== undefined && sort !== 'date' && sort !== 'date-asc' && sort !== 'relevance') throw badRequest('sort must be "date", "date-asc" or "relevance"');
      const limit = intArg(o, 'limit', { min: 1, max: 5000, fallback: 100 });
      const offset = intArg(o, 'offset', { fallback: 0 });
      const restrict = restriction(o.filters);
      // Off this thread: other requests are answered while a query runs (search/search-pool.ts).
      return searches.search(query, { limit, offset, sort, restrict }).catch((err: unknown) =>
        userErrors(() => {
          throw err;
        }),
      );
    },
    async facets(args) {
      const o = objectArg(args);
      return userErrors(() => facets.compute(stringArg(o, 'query'), o));
    },
    async highlight(args) {
      const o = objectArg(args);
      const texts = o.texts;
      if (!Array.isArray(texts) || texts.length > 100_000 || !texts.every((t) => typeof t === 'string')) throw badRequest('texts must be a list of at most 100,000 strings');
      if (texts.reduce((n, t: string) => n + t.length, 0) > 20_000_000) throw badRequest('texts must hold at most 20,000,000 characters in all');
      return userErrors(() => {
        const h = highlighter(stringArg(o, 'query'));
        return { ranges: texts.map((t: string) => h.ranges(t)) };
      });
    },
    async getRaw(args) {
      const id = intArg(objectArg(args), 'id', { min: 1 });
      const loc = q.firstLocation(id);
      if (!loc) throw notFound(`message ${id}`);
      // Bounded: the viewer shows a prefix of a huge message (`casefile show --raw` writes all of it).
      const max = displayLimits().maxRawBytes;
      const bytes = loc.length > max ? await readOriginalPrefix(loc, max) : await readOriginalBytes(loc);
      return { base64: bytes.toString('base64'), sha256: loc.sha256, size: loc.length, truncated: loc.length > max };
    },
    async getAttachment(args) {
      const o = objectArg(args);
      const id = intArg(o, 'id', { min: 1 });
      const index = intArg(o, 'index', { min: 0, max: 100_000 });
      return (await attachmentBytes(q, id, index)) ?? Promise.reject(notFound(`attachment ${index} of message ${id}`));
    },
    async listDocuments(args) {
      const o = objectArg(args);
      if (o.sort !== undefined && !DOCUMENT_SORTS.includes(o.sort as DocumentSort)) throw badRequest(`sort must be one of ${DOCUMENT_SORTS.join(', ')}`);
      const limit = intArg(o, 'limit', { min: 1, max: 1000, fallback: 100 });
      return userErrors(() => docs.list({ query: stringArg(o, 'query'), limit, offset: intArg(o, 'offset', { fallback: 0 }), sort: o.sort as DocumentSort | undefined, desc: o.desc === true }));
    },
    async getDocument(args) {
      const id = intArg(objectArg(args), 'id', { min: 1 });
      return docs.detail(id) ?? Promise.reject(notFound(`document ${id}`));
    },
    async startOcr(args) {
      const o = objectArg(args);
      return startJob(() => ocr.start(o.retryFailed === true));
    },
    async ocrStatus(args) {
      objectArg(args);
      return ocr.current();
    },
    async listTags(args) {
      objectArg(args);
      return tags.list();
    },
    async tagMessages(args) {
      const o = objectArg(args);
      const tag = stringArg(o, 'tag', 64);
      const selection = selectionArg(o.selection);
      return userErrors(() => {
        if (o.color !== undefined) tags.define(tag, stringArg(o, 'color', 7));
        const ids = resolveSelection(store.db, getSearcher, selection, restriction);
        const how = 'ids' in selection ? 'ids' : 'threadOf' in selection ? `thread of ${selection.threadOf}` : 'query' in selection ? `query ${selection.query}${selection.filters ? ` filters ${JSON.stringify(selection.filters)}` : ''}` : `tag ${selection.tag}`;
        return o.remove === true ? tags.remove(tag, ids, how) : tags.add(tag, ids, how);
      });
    },
    async setNote(args) {
      const o = objectArg(args);
      const id = intArg(o, 'id', { min: 1 });
      const text = stringArg(o, 'text', 100_000);
      return userErrors(() => tags.setNote(id, text));
    },
    async startExport(args) {
      const req = exportRequestArg(args);
      return userErrors(() => ({ job: exports.start(req) }));
    },
    async exportStatus(args) {
      const job = intArg(objectArg(args), 'job', { min: 1 });
      return exports.status(job) ?? Promise.reject(notFound(`export job ${job}`));
    },
    async startIngest(args) {
      const o = objectArg(args);
      const inputs = o.inputs;
      if (!Array.isArray(inputs) || inputs.length === 0 || inputs.length > 10_000 || !inputs.every((p) => typeof p === 'string' && p.length > 0 && p.length < 4096)) {
        throw badRequest('inputs must be a non-empty list of file or folder paths');
      }
      return startJob(() => ingests.start(resolveInputs(inputs as string[])));
    },
    async ingestStatus(args) {
      objectArg(args);
      return ingests.current();
    },
    async cancelIngest(args) {
      objectArg(args);
      ingests.cancel();
      return { cancelling: true as const };
    },
    async compareVersions(args) {
      const id = intArg(objectArg(args), 'id', { min: 1 });
      const sides = versionSides(store.db, id);
      return sides.length ? sides : Promise.reject(notFound(`message ${id}`));
    },
    async importKeys(args) {
      const o = objectArg(args);
      const file = stringArg(o, 'path');
      const name = o.name === undefined ? undefined : stringArg(o, 'name');
      return importKeyFile(store, file, name);
    },
  };
}

/** Start a background job; a refusal (one is running already, an input it cannot use) is a bad request. */
function startJob(start: () => void): { started: true } {
  try {
    start();
  } catch (err) {
    throw badRequest((err as Error).message);
  }
  return { started: true };
}

/** Mistakes the user can fix (bad tag name, bad query, unknown id) become readable API errors. */
function userErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof QueryError) throw new ApiFailure({ code: 'bad-query', message: err.message, part: err.part });
    if (err instanceof TagError || err instanceof ExportError) throw badRequest(err.message);
    throw err;
  }
}

/** Dispatch a call by name; unknown names are rejected (no prototype lookups, no dynamic access). */
export async function dispatch(table: HandlerTable, method: string, args: unknown): Promise<unknown> {
  if (!Object.prototype.hasOwnProperty.call(table, method)) throw badRequest(`unknown method ${JSON.stringify(method).slice(0, 80)}`);
  return table[method as ApiMethod](args);
}
