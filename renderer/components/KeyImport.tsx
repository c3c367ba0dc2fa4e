import { useState } from 'react';
import { call } from '../api-client';

/**
 * Import a DKIM key file from the UI (same formats and audit entry as `casefile keys import`); the signed
 * messages are verified again, then the message is reloaded.
 */
export function KeyImport({ onImported }: { onImported: () => void }) {
  const [file, setFile] = useState('');
  const [name, setName] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const run = async () => {
    setStatus('Importing and verifying again…');
    try {
      const r = await call('importKeys', { path: file.trim(), ...(name.trim() ? { name: name.trim() } : {}) });
      setStatus(`${r.format}: ${r.added} added, ${r.replaced} with updated history, ${r.unchanged} unchanged${r.ignored ? `, ${r.ignored} non-DKIM ignored` : ''}; ${r.reverified} message(s) verified again. Recorded in the audit log.`);
      onImported();
    } catch (e) {
      setStatus(`Not imported: ${(e as Error).message}`);
    }
  };
  return (
    <div className="key-import" data-testid="key-import">
      <h4>Import DKIM keys</h4>
      <input placeholder="Key file path (JSON, key-history JSON, BIND, tinydns, PEM)" value={file} onChange={(e) => setFile(e.target.value)} data-testid="key-import-path" />
      <input placeholder="selector._domainkey.domain (PEM only)" value={name} onChange={(e) => setName(e.target.value)} />
      <button onClick={run} disabled={!file.trim()} data-testid="key-import-run">
        Import
      </button>
      {status && <div className="muted" data-testid="key-import-status">{status}</div>}
    </div>
  );
}
