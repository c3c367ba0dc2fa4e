import type { OcrStatus } from '../../../shared/api';
import { runOcrPass } from '../ocr/ocr-pass';
import type { CaseStore } from '../store/case-store';

/**
 * The OCR pass started from the UI's switch: one at a time, in the background, polled for progress.
 * `onFinished` lets the handler table drop caches (search shards were rebuilt).
 */
export class OcrJobs {
  private status: OcrStatus = { state: 'idle', progress: null, error: null };

  constructor(
    private readonly store: CaseStore,
    private readonly onFinished: () => void,
  ) {}

  start(retryFailed: boolean): void {
    if (this.status.state === 'running') throw new Error('an OCR pass is already running');
    this.status = { state: 'running', progress: null, error: null };
    runOcrPass(this.store, { retryFailed, onProgress: (p) => (this.status.progress = p) })
      .then((p) => (this.status = { state: 'finished', progress: p, error: null }))
      .catch((err: Error) => (this.status = { ...this.status, state: 'failed', error: err.message }))
      .finally(() => this.onFinished());
  }

  current(): OcrStatus {
    return { ...this.status };
  }
}
