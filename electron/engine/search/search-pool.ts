import type { Worker } from 'node:worker_threads';
import type { SearchResult } from '../../../shared/types';
import { startWorker } from '../util/worker-entry';
import { QUERY_LIMITS, QueryCostError } from './query-cost';
import { QueryError } from './query-error';
import type { SearchOptions } from './searcher';
import type { SearchReply, SearchRequest } from './search-worker';

/** Beyond the time budget: a query that has not answered by then is stopped from outside. */
const GRACE_MS = 3_000;

/**
 * Runs searches in a worker thread (search-worker.ts), one at a time, for the viewer's engine: the
 * request thread stays free for every other request while a query runs. The evaluator's own time budget
 * ends a costly query with "query too costly"; should a query not come back even so (a loop the budget
 * does not reach, memory exhausted), the worker is terminated after the budget plus a grace period, the
 * query fails with the same error, and the next search starts a fresh worker.
 */
export class SearchPool {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: SearchResult) => void; reject: (e: Error) => void; timer: NodeJS.Timeout; query: string }>();

  constructor(private readonly caseDir: string) {}

  search(query: string, opts: SearchOptions): Promise<SearchResult> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    const budget = opts.timeBudgetMs ?? QUERY_LIMITS.timeBudgetMs;
    return new Promise((resolve, reject) => {
      // Queued requests wait for the ones before them: the watchdog allows for the whole queue.
      const timer = setTimeout(() => this.stuck(), (budget + GRACE_MS) * (this.pending.size + 1));
      this.pending.set(id, { resolve, reject, timer, query });
      worker.postMessage({ id, query, opts } satisfies SearchRequest);
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    this.failAll(() => new Error('search stopped'));
    await w?.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker(import.meta.url, 'search-worker', { workerData: { caseDir: this.caseDir } });
    worker.on('message', (reply: SearchReply) => this.onReply(reply));
    worker.on('error', (err) => this.drop(worker, () => new QueryCostError(`the search stopped (${err.message})`, '')));
    worker.on('exit', () => this.drop(worker, () => new Error('the search worker exited')));
    // After the listeners: adding a 'message' listener refs the worker's port again, and an idle search
    // worker must not keep a process (a test, a CLI command) alive.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private onReply(reply: SearchReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    clearTimeout(p.timer);
    if ('result' in reply) return p.resolve(reply.result);
    const e = reply.error;
    if (e.query) p.reject(e.name === 'QueryCostError' ? Object.assign(new QueryCostError('', e.part), { message: e.message }) : new QueryError(e.message, e.part));
    else p.reject(new Error(e.message));
  }

  /** The oldest query outlived its budget: stop the worker; every queued query fails with it. */
  private stuck(): void {
    const w = this.worker;
    if (!w) return;
    this.drop(w, () => new QueryCostError(`it did not finish within ${((QUERY_LIMITS.timeBudgetMs + GRACE_MS) / 1000).toFixed(0)} s`, ''));
    void w.terminate();
  }

  private drop(worker: Worker, error: () => Error): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.failAll(error);
  }

  private failAll(error: () => Error): void {
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(error());
    }
    this.pending.clear();
  }
}
