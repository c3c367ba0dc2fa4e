import type { ParseOutcome, ParsePool } from '../parse/parse-pool';
import type { SpanJob } from '../parse/parse-span';
import type { DiscoveredSource } from '../source/discover';
import { wholeFileJob } from './whole-file';

export interface EarlyParseLimits {
  /** Messages of the first group sent (small, so the workers start at once). */
  first: number;
  /** Messages and bytes of each later group. */
  messages: number;
  bytes: number;
  /** Messages and bytes parsed ahead in all (their results wait in memory until they are committed). */
  totalMessages: number;
  totalBytes: number;
}

/**
 * Whole-file messages (a Maildir's files, .eml) sent to the parse workers while discovery still walks the
 * folders: on a 20,000-file Maildir the walk and the registration left the workers idle for a second
 * (issue 15). Only for a case that does not exist yet: there every discovered `eml` source is registered as
 * new and read whole (whole-file.ts), so the parse the ingest will ask for is known before registration.
 * Nothing is written meanwhile: the case is opened after discovery and the evidence guard, as before, and
 * the results are taken, in the ingest's own order, when its batches ask for the same jobs (a job not
 * parsed ahead is parsed then). Bounded: the results wait in memory until they are committed.
 */
export class EarlyParse {
  private readonly ahead = new Map<string, { job: SpanJob; outcome: Promise<ParseOutcome> }>();
  private group: SpanJob[] = [];
  private groupBytes = 0;
  private groups = 0;
  private messages = 0;
  private bytes = 0;

  constructor(
    private readonly pool: ParsePool,
    private readonly extract: boolean,
    private readonly limits: EarlyParseLimits,
  ) {}

  /** A source discovery found (in discovery's order). */
  offer(source: DiscoveredSource): void {
    if (source.kind !== 'eml') return;
    const size = source.stamp.size;
    if (this.messages >= this.limits.totalMessages || this.bytes + size > this.limits.totalBytes) return;
    this.messages++;
    this.bytes += size;
    this.group.push(wholeFileJob(source.path, size, this.extract));
    this.groupBytes += size;
    const most = this.groups === 0 ? this.limits.first : this.limits.messages;
    if (this.group.length >= most || this.groupBytes >= this.limits.bytes) this.send();
  }

  /** Discovery is over: what was gathered goes to the workers too. */
  send(): void {
    if (this.group.length === 0) return;
    const jobs = this.group;
    this.group = [];
    this.groupBytes = 0;
    this.groups++;
    const outcomes = this.pool.parse(jobs);
    jobs.forEach((job, i) => this.ahead.set(job.path, { job, outcome: outcomes.then((all) => all[i]!) }));
  }

  /** The outcomes of a batch's jobs, in order: those parsed ahead, the others parsed now. */
  outcomes(jobs: SpanJob[]): Promise<ParseOutcome[]> {
    const taken = jobs.map((job) => this.take(job));
    const rest = jobs.filter((_, i) => !taken[i]);
    if (rest.length === jobs.length) return this.pool.parse(jobs);
    const parsed = rest.length > 0 ? this.pool.parse(rest) : Promise.resolve([]);
    let k = 0;
    const restIndex = taken.map((t) => (t ? -1 : k++));
    return Promise.all(taken.map((t, i) => t ?? parsed.then((all) => all[restIndex[i]!]!)));
  }

  /** The outcome parsed ahead for exactly this job, once. */
  private take(job: SpanJob): Promise<ParseOutcome> | null {
    const early = this.ahead.get(job.path);
    if (!early || !sameJob(early.job, job)) return null;
    this.ahead.delete(job.path);
    return early.outcome;
  }
}

function sameJob(a: SpanJob, b: SpanJob): boolean {
  return a.offset === b.offset && a.length === b.length && a.quotedFrom === b.quotedFrom && a.extract === b.extract && !a.bytes && !b.bytes && !b.notes;
}
