/**
 * A parse worker's replies, sent in groups instead of one message each (issue 15). Every postMessage wakes
 * the main thread; one per parsed message (64,000 for the 1 GiB archive) kept the two cores switching
 * between threads, and the main thread gains nothing from an early reply: it commits a batch once all of
 * it is parsed. Replies stay in order and are held only briefly, so the pool's per-message timeout (armed
 * at each reply for the next message) keeps meaning "this worker stopped making progress":
 * - a group goes out at GROUP_MAX replies, before a message of LARGE_BYTES or more is started (its own,
 *   longer timeout then applies to it), when the oldest held reply is HOLD_MS old as the next message
 *   starts, whenever the worker is about to wait (setImmediate: e.g. for an extraction), and at the end
 *   of the job;
 * - `exact` (the pool's mode after a crash or hang, one message at a time) sends each reply at once.
 * A worker that dies or hangs with replies held loses them; the pool then parses again, one at a time,
 * every message from the first one it has no reply for (parse-pool.ts onDeath), so nothing is lost.
 */
const GROUP_MAX = 64;
const LARGE_BYTES = 1024 * 1024;
const HOLD_MS = 100;

export class ReplyGroups<R> {
  private held: R[] = [];
  private first = 0;
  private sent = 0;
  private heldSince = 0;
  private scheduled = false;

  constructor(
    private readonly send: (index: number, replies: R[]) => void,
    private readonly exact: boolean,
  ) {}

  /** Called before each message is started, with its size. */
  beforeItem(bytes: number): void {
    if (this.held.length > 0 && (bytes >= LARGE_BYTES || performance.now() - this.heldSince >= HOLD_MS)) this.flush();
  }

  add(reply: R): void {
    if (this.held.length === 0) {
      this.first = this.sent;
      this.heldSince = performance.now();
    }
    this.held.push(reply);
    this.sent++;
    if (this.exact || this.held.length >= GROUP_MAX) return this.flush();
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.flush();
      });
    }
  }

  flush(): void {
    if (this.held.length === 0) return;
    const replies = this.held;
    this.held = [];
    this.send(this.first, replies);
  }
}
