import type { IngestProgress } from '../../../shared/types';
import type { SourceRow } from '../store/source-registry';

const REPORT_EVERY_MS = 250;

/** Turns committed offsets into progress events (bytes, messages/s, ETA), throttled. */
export class ProgressMeter {
  private readonly offsets = new Map<number, number>();
  private readonly total: number;
  private readonly startedAt = Date.now();
  private readonly startBytes: number;
  private messages = 0;
  private lastReport = 0;
  private current: SourceRow | null = null;
  private currentIndex = 0;
  /** Position of each row (a Maildir has one row per message: no linear search per source). */
  private readonly indexOf: Map<SourceRow, number>;

  constructor(private readonly rows: SourceRow[], private readonly onProgress?: (p: IngestProgress) => void) {
    this.total = rows.reduce((s, r) => s + r.size, 0);
    for (const r of rows) this.offsets.set(r.id, r.status === 'done' ? r.size : r.ingestedOffset);
    this.startBytes = this.done();
    this.indexOf = new Map(rows.map((r, i) => [r, i]));
  }

  startSource(row: SourceRow): void {
    this.current = row;
    this.currentIndex = this.indexOf.get(row) ?? -1;
  }

  committed(sourceId: number, offset: number): void {
    this.offsets.set(sourceId, Math.max(offset, this.offsets.get(sourceId) ?? 0));
    this.messages++;
  }

  report(force = false): void {
    if (!this.onProgress) return;
    const now = Date.now();
    if (!force && now - this.lastReport < REPORT_EVERY_MS) return;
    this.lastReport = now;
    const seconds = Math.max(0.001, (now - this.startedAt) / 1000);
    const bytesDone = this.done();
    const bytesPerSecond = (bytesDone - this.startBytes) / seconds;
    this.onProgress({
      source: this.current?.path ?? '',
      sourceIndex: this.currentIndex,
      sourceCount: this.rows.length,
      bytesDone,
      bytesTotal: this.total,
      messages: this.messages,
      messagesPerSecond: this.messages / seconds,
      bytesPerSecond,
      etaSeconds: bytesPerSecond > 0 ? (this.total - bytesDone) / bytesPerSecond : null,
    });
  }

  private done(): number {
    let sum = 0;
    for (const v of this.offsets.values()) sum += v;
    return sum;
  }
}
