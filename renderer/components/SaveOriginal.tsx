import { useState } from 'react';
import { call } from '../api-client';

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const d = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * "Save original .eml": the message's exact bytes as they sit in the evidence, re-read by the engine and
 * hashed again here before the download is offered; a mismatch with the SHA-256 recorded at ingest is
 * refused, never saved.
 */
export function SaveOriginal({ id }: { id: number }) {
  const [state, setState] = useState<{ url: string; sha: string } | { error: string } | null>(null);
  const prepare = async () => {
    try {
      const raw = await call('getRaw', { id });
      const bytes = Uint8Array.from(atob(raw.base64), (c) => c.charCodeAt(0));
      const sha = await sha256Hex(bytes);
      if (sha !== raw.sha256) return setState({ error: `bytes read do not match the recorded SHA-256 (${raw.sha256.slice(0, 12)}…): not saved` });
      const url = URL.createObjectURL(new Blob([bytes], { type: 'message/rfc822' }));
      setState({ url, sha });
      // Start the download at once; the link stays for a second try.
      const a = document.createElement('a');
      a.href = url;
      a.download = `message-${id}.eml`;
      a.click();
    } catch (e) {
      setState({ error: (e as Error).message });
    }
  };
  if (state && 'url' in state) {
    return (
      <a className="small button" href={state.url} download={`message-${id}.eml`} title={`SHA-256 ${state.sha} (checked)`} data-testid="save-original-link">
        Saved .eml ✓ SHA-256 {state.sha.slice(0, 12)}…
      </a>
    );
  }
  return (
    <>
      <button className="small" onClick={() => void prepare()} title="The exact original bytes, hash-checked" data-testid="save-original">
        Save original .eml
      </button>
      {state && 'error' in state && <span className="query-error">{state.error}</span>}
    </>
  );
}
