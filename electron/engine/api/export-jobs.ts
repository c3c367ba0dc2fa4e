import type { ExportStatus } from '../../../shared/api';
import type { ExportRequest } from '../../../shared/types';
import { exportSet } from '../export/export-set';
import type { Searcher } from '../search/searcher';
import type { Restriction } from '../tags/selection';
import type { CaseStore } from '../store/case-store';
import { type ApiEventBus, throttle } from './event-bus';

/** Exports started from the UI run in the background; the UI polls their progress by job id. */
export class ExportJobs {
  private readonly jobs = new Map<number, ExportStatus>();
  private next = 1;

  constructor(
    private readonly store: CaseStore,
    private readonly searcher: () => Searcher,
    private readonly events: ApiEventBus,
    private readonly restriction?: Restriction,
  ) {}

  start(req: ExportRequest): number {
    const job = this.next++;
    const status: ExportStatus = { done: 0, total: 0, state: 'running' };
    this.jobs.set(job, status);
    const progress = throttle<ExportStatus>(250, (s) => this.events.emit('exportProgress', { ...s, job }));
    exportSet(this.store, this.searcher, req, (p) => progress.push(Object.assign(status, p)), this.restriction)
      .then((result) => Object.assign(status, { state: 'finished', result }))
      .catch((err: Error) => Object.assign(status, { state: 'failed', error: err.message }))
      .finally(() => {
        progress.flush();
        this.events.emit('exportProgress', { ...status, job });
      });
    return job;
  }

  status(job: number): ExportStatus | null {
    const s = this.jobs.get(job);
    return s ? { ...s } : null;
  }
}
