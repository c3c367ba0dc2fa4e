import { useEscape } from '../escape-stack';
import { useEffect, useState } from 'react';
import type { IngestStatus, Shell } from '../../shared/api';
import { call, subscribe } from '../api-client';
import { formatBytes } from '../format';

const shell = (window as unknown as { casefileShell?: Shell }).casefileShell;

/**
 * Add evidence to the case: pick (desktop app), drop, or type paths; ingest with progress, rate, ETA and
 * cancel. Evidence is only ever read.
 */
export function ImportDialog({ onClose, onFinished }: { onClose: () => void; onFinished: () => void }) {
  useEscape(onClose);
  const [paths, setPaths] = useState('');
  const [status, setStatus] = useState<IngestStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const running = status?.state === 'running';

  useEffect(() => {
    void shell?.pendingEvidence().then((p) => p.length && setPaths(p.join('\n')));
    void call('ingestStatus', {}).then((s) => s.state === 'running' && setStatus(s));
  }, []);
  // Progress is pushed by the engine (events). A slow poll covers events sent before the stream connected.
  useEffect(() => {
    const update = (s: IngestStatus) => {
      setStatus(s);
      if (s.state !== 'running') onFinished();
    };
    const unsubscribe = subscribe('ingestProgress', update);
    const timer = running ? setInterval(() => void call('ingestStatus', {}).then(update), 1000) : undefined;
    return () => {
      unsubscribe();
      clearInterval(timer);
    };
  }, [onFinished, running]);

  const add = (more: string[]) => setPaths((old) => [...old.split('\n').filter(Boolean), ...more].join('\n'));
  const start = async () => {
    setError(null);
    try {
      await call('startIngest', { inputs: paths.split('\n').map((p) => p.trim()).filter(Boolean) });
      setStatus(await call('ingestStatus', {}));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const p = status?.progress;
  return (
    <div className="modal-backdrop" role="dialog" aria-modal="true" aria-label="Add evidence" data-testid="import-dialog">
      <div className="modal">
        <h2>Add evidence</h2>
        {status && status.state !== 'idle' && !running ? (
          <div data-testid="import-result">
            {status.state === 'finished' && status.summary && (
              <p>
                Ingested <b>{status.summary.messages}</b> new messages ({status.summary.duplicates} duplicate copies, {status.summary.errors} with parse errors) in{' '}
                {status.summary.seconds.toFixed(1)} s.
              </p>
            )}
            {status.state === 'cancelled' && <p>Cancelled. Everything committed so far is kept; add the same evidence again to resume.</p>}
            {status.state === 'failed' && <p className="query-error">{status.error}</p>}
            <div className="modal-actions">
              <button onClick={onClose}>Close</button>
            </div>
          </div>
        ) : (
          <>
            <div
              className={`dropzone${dragging ? ' over' : ''}`}
              onDragOver={(e) => {
                e.preventDefault();
                setDragging(true);
              }}
              onDragLeave={() => setDragging(false)}
              onDrop={(e) => {
                e.preventDefault();
                setDragging(false);
                if (shell) add([...e.dataTransfer.files].map((f) => shell.pathForFile(f)).filter(Boolean));
                else setError('The browser harness cannot see where dropped files are: type their paths below.');
              }}
            >
              Drop mbox / eml files or folders here{shell ? '' : ' (desktop app)'}, or
              {shell && (
                <>
                  {' '}
                  <button onClick={() => void shell.chooseEvidence('files').then(add)}>choose files…</button> <button onClick={() => void shell.chooseEvidence('folder').then(add)}>choose a folder…</button>
                </>
              )}
              {!shell && ' type paths on this machine, one per line:'}
            </div>
            <textarea
              className="paths"
              rows={4}
              value={paths}
              onChange={(e) => setPaths(e.target.value)}
              placeholder="/media/evidence/leak.mbox"
              disabled={running}
              data-testid="import-paths"
              aria-label="Evidence paths"
            />
            <p className="muted">Files are opened read-only and never modified; the case folder must not be inside the evidence.</p>
            {running && (
              <div className="progress" data-testid="import-progress">
                <progress max={p?.bytesTotal || 1} value={p?.bytesDone ?? 0} />
                <span>
                  {p ? `${formatBytes(p.bytesDone)} / ${formatBytes(p.bytesTotal)} · ${p.messages} messages · ${Math.round(p.messagesPerSecond)}/s${p.etaSeconds != null ? ` · ${Math.ceil(p.etaSeconds)} s left` : ''}` : 'Starting…'}
                </span>
              </div>
            )}
            {error && <p className="query-error" data-testid="import-error">{error}</p>}
            <div className="modal-actions">
              {running ? (
                <button onClick={() => void call('cancelIngest', {})} data-testid="import-cancel">
                  Cancel
                </button>
              ) : (
                <>
                  <button onClick={onClose}>Close</button>
                  <button className="primary" disabled={!paths.trim()} onClick={() => void start()} data-testid="import-start">
                    Ingest
                  </button>
                </>
              )}
            </div>
          </>
        )}
      </div>
    </div>
  );
}
