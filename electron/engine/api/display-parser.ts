import type { Worker } from 'node:worker_threads';
import type { MessageBody } from '../../../shared/types';
import { startWorker } from '../util/worker-entry';
import type { DisplayReply, DisplayRequest } from './display-worker';

/** Heap of the display worker: a hostile message exhausts this, not the server. */
const WORKER_HEAP_MB = 1536;

/**
 * One worker thread that re-parses messages for display, one at a time (requests queue). A parse that
 * throws, crashes the worker (out of memory, a string too long) or outlives the time limit rejects with a
 * readable reason; the worker is then replaced. The request thread never runs mailparser.
 */
export class DisplayParser {
  private worker: Worker | null = null;
  private tail: Promise<unknown> = Promise.resolve();

  parse(req: DisplayRequest, timeoutMs: number): Promise<Omit<MessageBody, 'id'>> {
    const run = () => this.run(req, timeoutMs);
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => undefined);
    return result;
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = null;
  }

  private run(req: DisplayRequest, timeoutMs: number): Promise<Omit<MessageBody, 'id'>> {
    const worker = (this.worker ??= this.start());
    return new Promise((resolve, reject) => {
      const done = (fn: () => void) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        fn();
      };
      const fail = (reason: string) => {
        // The worker is in an unknown state (or dead): start afresh next time.
        if (this.worker === worker) this.worker = null;
        void worker.terminate();
        done(() => reject(new Error(reason)));
      };
      const onMessage = (reply: DisplayReply) => done(() => ('body' in reply ? resolve(reply.body) : reject(new Error(reply.error))));
      const onError = (err: Error) => fail(`the parser crashed: ${err.message}`);
      const onExit = (code: number) => fail(`the parser stopped (exit code ${code})`);
      const timer = setTimeout(() => fail(`the parser did not finish within ${(timeoutMs / 1000).toFixed(0)} s`), timeoutMs);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.unref(); // again after adding listeners (which ref its port); the timer keeps a request alive
      worker.postMessage(req, [req.raw.buffer as ArrayBuffer]);
    });
  }

  private start(): Worker {
    const w = startWorker(import.meta.url, 'display-worker', { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    w.unref();
    return w;
  }
}
