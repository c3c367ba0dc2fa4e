import { useEscape } from '../escape-stack';
import { useEffect, useState } from 'react';
import type { ExportStatus } from '../../shared/api';
import type { ExportFormat, FacetFilters, TagInfo } from '../../shared/types';
import { describeFilters } from '../format';
import type { Shell } from '../../shared/api';
import { call, subscribe } from '../api-client';

const shell = (window as unknown as { casefileShell?: Shell }).casefileShell;

interface Props {
  query: string;
  /** The list's facet and date filters: a search export takes exactly the listed messages. */
  filters: FacetFilters;
  /** How many messages the list shows (for the label). */
  listed: number | null;
  tags: TagInfo[];
  onClose: () => void;
}

/** Export a tag or the current search: format, attachments, zip, destination; progress; the manifest hash. */
export function ExportDialog({ query, filters, listed, tags, onClose }: Props) {
  useEscape(onClose);
  const filtered = Object.keys(filters).length > 0;
  const [by, setBy] = useState<'tag' | 'query'>(query || filtered ? 'query' : 'tag');
  const [useFilters, setUseFilters] = useState(filtered);
  const [tag, setTag] = useState(tags[0]?.name ?? '');
  const [q, setQ] = useState(query);
  const [format, setFormat] = useState<ExportFormat>('mbox');
  const [attachments, setAttachments] = useState(false);
  const [zip, setZip] = useState(false);
  const [out, setOut] = useState('');
  const [delimiter, setDelimiter] = useState<',' | ';'>(() => (navigator.language?.startsWith('fr') ? ';' : ','));
  const [bom, setBom] = useState(true);
  const [job, setJob] = useState<number | null>(null);
  const [status, setStatus] = useState<ExportStatus | null>(null);
  const [error, setError] = useState<string | null>(null);

  // Progress is pushed by the engine (events). A slow poll covers events sent before the stream connected.
  useEffect(() => {
    if (job === null) return;
    const unsubscribe = subscribe('exportProgress', (s) => s.job === job && setStatus(s));
    const check = () => void call('exportStatus', { job }).then((s) => setStatus((old) => (old && old.state !== 'running' ? old : s)));
    check();
    const timer = setInterval(check, 1000);
    return () => {
      unsubscribe();
      clearInterval(timer);
    };
  }, [job]);

  const start = async () => {
    setError(null);
    try {
      const selection = by === 'tag' ? { tag } : { query: q, ...(useFilters && filtered ? { filters } : {}) };
      const r = await call('startExport', { selection, format, out, attachments, zip, ...(format === 'csv' ? { csv: { delimiter, bom } } : {}) });
      setJob(r.job);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const running = status?.state === 'running' || (job !== null && !status);
  return (
    <div className="modal-backdrop" role="dialog" aria-modal="true" aria-label="Export" data-testid="export-dialog">
      <div className="modal">
        <h2>Export</h2>
        {status?.state === 'finished' && status.result ? (
          <div className="export-result" data-testid="export-result">
            <p>
              Exported <b>{status.result.messages}</b> messages{status.result.attachments ? ` and ${status.result.attachments} attachments` : ''} to
            </p>
            <p className="mono">{status.result.out}</p>
            <p>
              manifest.json SHA-256 (recorded in the case audit log; send it separately to whoever receives the export):
            </p>
            <p className="mono hash" data-testid="export-manifest-hash">{status.result.manifestSha256}</p>
            <p className="muted">Check it at any time with: casefile verify "{status.result.out}"</p>
            <div className="modal-actions">
              <button onClick={onClose}>Close</button>
            </div>
          </div>
        ) : (
          <>
            <fieldset disabled={running}>
              <label>
                <input type="radio" checked={by === 'tag'} onChange={() => setBy('tag')} disabled={tags.length === 0} /> Tag{' '}
                <select value={tag} onChange={(e) => setTag(e.target.value)} disabled={by !== 'tag'} aria-label="Tag to export">
                  {tags.map((t) => (
                    <option key={t.name} value={t.name}>
                      {t.name} ({t.count})
                    </option>
                  ))}
                </select>
              </label>
              <label>
                <input type="radio" checked={by === 'query'} onChange={() => setBy('query')} /> Search{' '}
                <input value={q} onChange={(e) => setQ(e.target.value)} disabled={by !== 'query'} aria-label="Query to export" />
              </label>
              {filtered && (
                <label className="export-filters" data-testid="export-filters">
                  <input type="checkbox" checked={useFilters} onChange={(e) => setUseFilters(e.target.checked)} disabled={by !== 'query'} /> narrowed by the list's filters ({describeFilters(filters)})
                  {listed !== null && q === query && useFilters ? `: the ${listed} listed messages` : ''}
                </label>
              )}
              <label>
                Format{' '}
                <select value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)} data-testid="export-format">
                  <option value="mbox">mbox (mboxrd, original bytes)</option>
                  <option value="eml">.eml files (original bytes)</option>
                  <option value="csv">CSV metadata</option>
                  <option value="json">JSON metadata</option>
                </select>
              </label>
              {format === 'csv' && (
                <label>
                  Separator{' '}
                  <select value={delimiter} onChange={(e) => setDelimiter(e.target.value as ',' | ';')} data-testid="export-delimiter">
                    <option value=",">, comma</option>
                    <option value=";">; semicolon (French-locale Excel)</option>
                  </select>{' '}
                  <input type="checkbox" checked={bom} onChange={(e) => setBom(e.target.checked)} data-testid="export-bom" /> UTF-8 BOM (for Excel)
                </label>
              )}
              <label>
                <input type="checkbox" checked={attachments} onChange={(e) => setAttachments(e.target.checked)} /> Extract attachments
              </label>
              <label>
                <input type="checkbox" checked={zip} onChange={(e) => setZip(e.target.checked)} /> Zip
              </label>
              <label>
                Save to (a new folder{zip ? ' or .zip file' : ''}; absolute path){' '}
                <input value={out} onChange={(e) => setOut(e.target.value)} placeholder="/home/me/exports/tagged-set" data-testid="export-out" className="wide" />
                {shell && (
                  <button
                    onClick={() =>
                      void shell.chooseExportFolder().then((dir) => dir && setOut(`${dir}${dir.includes('\\') ? '\\' : '/'}casefile-export-${new Date().toISOString().slice(0, 10)}${zip ? '.zip' : ''}`))
                    }
                  >
                    Choose folder…
                  </button>
                )}
              </label>
              <p className="muted">Never inside the evidence: a destination in an evidence folder is refused.</p>
            </fieldset>
            {running && (
              <div className="progress" data-testid="export-progress">
                <progress max={status?.total || 1} value={status?.done ?? 0} /> {status?.done ?? 0} / {status?.total || '…'}
              </div>
            )}
            {(error || status?.error) && <p className="query-error" data-testid="export-error">{error ?? status?.error}</p>}
            <div className="modal-actions">
              <button onClick={onClose} disabled={running}>
                Cancel
              </button>
              <button className="primary" onClick={() => void start()} disabled={running || !out || (by === 'tag' ? !tag : !q)} data-testid="export-start">
                Export
              </button>
            </div>
          </>
        )}
      </div>
    </div>
  );
}
