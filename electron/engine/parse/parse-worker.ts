// Worker thread entry: parses message spans read from the evidence and replies in order.
import { parentPort } from 'node:worker_threads';
import { parseSpan, type SpanJob } from './parse-span';
import { ReplyGroups } from './reply-groups';
import { reportHeap } from '../util/heap-report';

/**
 * `window`: messages parsed at once (default 1). Above 1, the worker parses the next message while an earlier
 * one awaits its attachments' extraction (in the shared extraction worker) instead of sitting idle; replies
 * still go out in order. The pool sends 1 after a crash or hang, so the blame falls on the right message.
 * `exact`: send each reply the moment it is ready (the pool's exact-blame mode after a crash or hang);
 * otherwise replies go out in groups (reply-groups.ts).
 */
export type WorkerRequest = { jobId: number; items: SpanJob[]; window?: number; exact?: boolean };
export type Reply = { record: import('./parsed-record').ParsedRecord } | { failure: string };
/** Replies to items `index`, `index + 1`, … of job `jobId`, in order. */
export type WorkerReply = { jobId: number; index: number; replies: Reply[] };

const settle = (job: SpanJob): Promise<Reply> =>
  parseSpan(job).then(
    (record) => ({ record }),
    (err) => ({ failure: String((err as Error)?.stack ?? err) }),
  );

parentPort!.on('message', async (req: WorkerRequest) => {
  if (!Array.isArray(req.items)) return; // an extraction reply (attachment-extract.ts listens for those)
  const window = Math.max(1, req.window ?? 1);
  const out = new ReplyGroups<Reply>((index, replies) => parentPort!.postMessage({ jobId: req.jobId, index, replies } satisfies WorkerReply), req.exact === true);
  const running: Promise<Reply>[] = [];
  const sendOldest = async () => out.add(await running.shift()!);
  for (const item of req.items) {
    out.beforeItem(item.length);
    running.push(settle(item));
    if (running.length >= window) await sendOldest();
  }
  while (running.length > 0) await sendOldest();
  out.flush();
});

// Modules loaded: the pool starts its per-message timeouts from here, so a slow start on a busy machine is
// not taken for a hung message.
parentPort!.postMessage({ ready: true });
reportHeap('parse');
