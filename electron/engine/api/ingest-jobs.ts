import type { IngestStatus } from '../../../shared/api';
import type { IngestProgress } from '../../../shared/types';
import { runAuthPassThenRethread } from '../auth/auth-pass-rethread';
import { ingest } from '../ingest/ingest';
import { discoverSources } from '../source/discover';
import { noMailMessage } from './ingest-inputs';
import type { CaseStore } from '../store/case-store';
import { type ApiEventBus, throttle } from './event-bus';

/**
 * One ingest at a time into the open case, started from the UI, polled for progress, cancellable. The
 * authenticity pass follows it. `onFinished` lets the handler table drop caches (search shards).
 */
export class IngestJobs {
  private status: IngestStatus = { state: 'idle', progress: null, summary: null, error: null };
  private controller: AbortController | null = null;

  constructor(
    private readonly store: CaseStore,
    private readonly events: ApiEventBus,
    private readonly onFinished: () => void,
  ) {}

  start(inputs: string[]): void {
    if (this.status.state === 'running') throw new Error('an ingest is already running');
    this.controller = new AbortController();
    this.status = { state: 'running', progress: null, summary: null, error: null };
    const progress = throttle<IngestStatus>(250, (s) => this.events.emit('ingestProgress', s));
    progress.push(this.current());
    const onProgress = (p: IngestProgress) => {
      this.status.progress = p;
      progress.push(this.current());
    };
    ingest({ caseDir: this.store.dir, inputs, signal: this.controller.signal, onProgress })
      .then(async (summary) => {
        const known = summary.skippedSources.some((s) => /already ingested/.test(s));
        if (!summary.cancelled && !known && summary.sources.length === 0 && summary.messages === 0 && !(summary.looseDocuments && !summary.skipped?.length)) {
          // Nothing was readable: say why, file by file, rather than "Ingested 0 new messages".
          const skipped = summary.skipped ?? (await discoverSources(inputs)).skipped;
          this.status = { ...this.status, state: 'failed', summary, error: noMailMessage(inputs, skipped) };
          return;
        }
        if (!summary.cancelled) await runAuthPassThenRethread(this.store);
        this.status = { ...this.status, state: summary.cancelled ? 'cancelled' : 'finished', summary };
      })
      .catch((err: Error) => (this.status = { ...this.status, state: 'failed', error: err.message }))
      .finally(() => {
        this.onFinished();
        progress.flush();
        this.events.emit('ingestProgress', this.current());
      });
  }

  cancel(): void {
    this.controller?.abort();
  }

  current(): IngestStatus {
    return { ...this.status };
  }
}
