// Worker thread entry: parses message spans read from the evidence, one at a time, in order.
import { parentPort } from 'node:worker_threads';
import { parseSpan, type SpanJob } from './parse-span';

export type WorkerRequest = { jobId: number; items: SpanJob[] };
export type WorkerReply =
  | { jobId: number; index: number; record: import('./parsed-record').ParsedRecord }
  | { jobId: number; index: number; failure: string };

parentPort!.on('message', async (req: WorkerRequest) => {
  if (!Array.isArray(req.items)) return; // an extraction reply (attachment-extract.ts listens for those)
  for (let index = 0; index < req.items.length; index++) {
    try {
      const record = await parseSpan(req.items[index]!);
      parentPort!.postMessage({ jobId: req.jobId, index, record } satisfies WorkerReply);
    } catch (err) {
      parentPort!.postMessage({ jobId: req.jobId, index, failure: String((err as Error)?.stack ?? err) } satisfies WorkerReply);
    }
  }
});

// Modules loaded: the pool starts its per-message timeouts from here, so a slow start on a busy machine is
// not taken for a hung message.
parentPort!.postMessage({ ready: true });
