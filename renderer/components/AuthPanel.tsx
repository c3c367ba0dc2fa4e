import { useState } from 'react';
import type { AuthReport } from '../../shared/types';
import { visibleText } from '../visible-text';
import { formatDate } from '../format';
import { DkimCaveats } from './DkimCaveats';
import { KeyImport } from './KeyImport';

type Tone = 'good' | 'bad' | 'neutral';

/** One-line verdict for the reading pane, with the explanation an investigator would write down. */
export function summarizeAuth(a: AuthReport | null): { label: string; tone: Tone; detail: string } {
  if (!a) return { label: 'Not checked', tone: 'neutral', detail: 'Run "casefile verify-auth" on this case to check signatures.' };
  const pass = a.dkim.filter((d) => d.result === 'pass');
  const altered = a.dkim.filter((d) => d.bodyHash === 'body-altered');
  const failed = a.dkim.filter((d) => d.result === 'fail');
  if (altered.length) return { label: 'DKIM: body altered', tone: 'bad', detail: `The body no longer matches what ${altered.map((d) => d.domain).join(', ')} signed: it was changed after signing. ${altered.map((d) => d.reason ?? '').filter((r) => r.includes(';')).map((r) => r.slice(r.indexOf(';') + 2)).join(' ')} ${altered.map((d) => d.arcContext?.text ?? '').join(' ')}`.trim() };
  if (failed.length) return { label: 'DKIM: fail', tone: 'bad', detail: failed.map((d) => `${d.domain}: ${d.reason ?? 'signature does not verify'}`).join('; ') };
  if (pass.length) {
    const caveats = [...new Set(pass.flatMap((d) => (d.caveats ?? []).map((c) => c.name)))];
    const list = pass.flatMap((d) => d.listChanges ?? []).map((c) => c.description);
    const unchanged = list.length ? `original verified; ${list.join('; ')}` : 'headers and body unchanged since signing';
    return {
      label: `DKIM: pass (${pass.map((d) => d.domain).join(', ')})${caveats.length ? ` with caveats: ${caveats.join(', ')}` : ''}`,
      tone: caveats.length ? 'neutral' : 'good',
      detail: `Signed by ${pass.map((d) => `${d.domain} (key from ${d.keySource ?? '?'})`).join(', ')}; ${unchanged}.`,
    };
  }
  const listed = a.dkim.filter((d) => d.bodyHash === 'list-footer');
  if (listed.length) return { label: 'DKIM: list footer, body intact', tone: 'neutral', detail: `${listed.flatMap((d) => d.listChanges.map((c) => c.description)).join('; ')}. Import the signer's public key to check the signature itself.` };
  if (a.dkim.some((d) => d.result === 'no-key' && d.bodyHash === 'body-ok')) {
    return { label: 'DKIM: body intact, key missing', tone: 'neutral', detail: 'The body still matches the signed hash; import the signer\'s public key to check the signature itself.' };
  }
  if (a.dkim.length === 0) return { label: 'Not signed', tone: 'neutral', detail: 'No DKIM signature: nothing to verify cryptographically.' };
  return { label: 'DKIM: unsupported', tone: 'neutral', detail: a.dkim.map((d) => `${d.domain}: ${d.algorithm} ${d.canonicalization}`).join('; ') };
}

/** Verdict badge, and on demand the signatures, ARC, Received hops and flags. */
export function AuthPanel({ auth, onKeysImported }: { auth: AuthReport | null; onKeysImported?: () => void }) {
  const [open, setOpen] = useState(false);
  const summary = summarizeAuth(auth);
  const s = { ...summary, label: visibleText(summary.label), detail: visibleText(summary.detail) };
  return (
    <div className="auth" data-testid="auth-panel">
      <button className={`badge ${s.tone}`} title={s.detail} onClick={() => setOpen(!open)} aria-expanded={open} data-testid="auth-badge">
        {s.label}
        {auth?.arc.result && auth.arc.result !== 'none' ? ` · ARC ${auth.arc.result}` : ''}
        {auth?.flags.length ? ` · ${auth.flags.length} hint${auth.flags.length > 1 ? 's' : ''}` : ''}
      </button>
      {open && auth && (
        <div className="auth-detail" data-testid="auth-detail">
          <p>{s.detail}</p>
          {auth.dkim.length > 0 && (
            <table>
              <thead>
                <tr>
                  <th>Signer</th>
                  <th>Algorithm</th>
                  <th>Body hash</th>
                  <th>Signature</th>
                  <th>Key</th>
                </tr>
              </thead>
              <tbody>
                {auth.dkim.map((d, i) => (
                  <tr key={i}>
                    <td>
                      {visibleText(d.domain)} <span className="muted">s={visibleText(d.selector)}</span>
                    </td>
                    <td>
                      {d.algorithm} {d.canonicalization}
                    </td>
                    <td className={d.bodyHash === 'body-altered' ? 'bad' : ''}>{d.bodyHash}</td>
                    <td className={d.result === 'fail' ? 'bad' : d.result === 'pass' ? 'good' : ''}>
                      {d.result}
                      {d.reason ? <span className="muted"> — {d.reason}</span> : null}
                    </td>
                    <td className="mono">
                      {d.keySha256 ? `${d.keySha256.slice(0, 12)}… (${d.keySource?.split(/[\\/]/).pop()})` : '—'}
                      {d.keysTried ? <span className="muted"> · one of {d.keysTried} keys for this selector</span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <DkimCaveats dkim={auth.dkim} />
          {onKeysImported && <KeyImport onImported={onKeysImported} />}
          <p>
            ARC: <b>{auth.arc.result}</b>
            {auth.arc.instances ? ` (${auth.arc.instances} hops)` : ''}
            {auth.arc.reason ? ` — ${auth.arc.reason}` : ''}
          </p>
          {auth.flags.length > 0 && (
            <>
              <h4>Hints (not proof)</h4>
              <ul className="flags">
                {auth.flags.map((f, i) => (
                  <li key={i}>
                    <code>{f.name}</code> {visibleText(f.message)}
                  </li>
                ))}
              </ul>
            </>
          )}
          {auth.received.length > 0 && (
            <>
              <h4>Received chain (first hop first)</h4>
              <ol className="hops" data-testid="received-hops">
                {auth.received.map((h, i) => (
                  <li key={i} className={h.delaySeconds !== null && h.delaySeconds < -900 ? 'bad' : ''}>
                    <span className="mono">{formatDate(h.date, true)}</span> {visibleText(h.from) ?? '?'} → <b>{visibleText(h.by) ?? '?'}</b>
                    {h.with ? ` with ${h.with}` : ''}
                    {h.delaySeconds !== null && <span className="muted"> (+{formatDelay(h.delaySeconds)})</span>}
                  </li>
                ))}
              </ol>
            </>
          )}
        </div>
      )}
    </div>
  );
}

function formatDelay(s: number): string {
  const sign = s < 0 ? '−' : '';
  const a = Math.abs(s);
  return a < 120 ? `${sign}${a} s` : a < 7200 ? `${sign}${Math.round(a / 60)} min` : `${sign}${Math.round(a / 3600)} h`;
}
