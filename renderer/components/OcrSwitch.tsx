import { useEffect, useState } from 'react';
import type { OcrStatus } from '../../shared/api';
import { call } from '../api-client';

/**
 * The opt-in OCR switch of the Documents view: starts the background pass (scanned PDFs and images,
 * French + English, nothing downloaded) and shows its progress; `onFinished` reloads the list.
 */
export function OcrSwitch({ onFinished }: { onFinished: () => void }) {
  const [status, setStatus] = useState<OcrStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const running = status?.state === 'running';

  useEffect(() => {
    let live = true;
    const poll = () => call('ocrStatus', {}).then((s) => live && setStatus(s), () => undefined);
    poll();
    if (!running) return () => void (live = false);
    const timer = setInterval(poll, 1000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [running]);

  useEffect(() => {
    if (status?.state === 'finished') onFinished();
  }, [status?.state, onFinished]);

  const start = () => {
    setError(null);
    call('startOcr', {})
      .then(() => setStatus({ state: 'running', progress: null, error: null }))
      .catch((e: Error) => setError(e.message));
  };
  const p = status?.progress;
  const label = running
    ? `OCR ${p ? `${p.done + p.empty + p.failed}/${p.candidates - p.skipped}` : '…'}${p?.current ? ` · ${p.current}` : ''}`
    : status?.state === 'finished' && p
      ? `— done: ${p.done} with text, ${p.empty} without, ${p.failed} failed`
      : status?.state === 'failed'
        ? `— failed: ${status.error}`
        : '';
  return (
    <span className="ocr-switch">
      <label title="Recognise text in scanned PDFs and images (French and English). Runs in the background; the text found is marked as OCR.">
        <input type="checkbox" checked={running} disabled={running} onChange={start} data-testid="ocr-switch" /> OCR scans
      </label>{' '}
      <span className="muted" data-testid="ocr-status">
        {error ?? label}
      </span>
    </span>
  );
}
