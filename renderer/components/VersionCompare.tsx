import { diffLines } from 'diff';
import { useEffect, useState } from 'react';
import type { Address, VersionSide } from '../../shared/types';
import { call } from '../api-client';

const addrs = (a: Address[]) => a.map((x) => (x.name ? `${x.name} <${x.address}>` : x.address)).join(', ') || '—';

/**
 * Versions of one message side by side (same Message-ID, different content): headers, text and attachment
 * hashes, with what differs from the first (the message that was open) marked, and each version's DKIM verdict.
 */
export function VersionCompare({ id, onClose, onOpen }: { id: number; onClose: () => void; onOpen: (id: number) => void }) {
  const [sides, setSides] = useState<VersionSide[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    call('compareVersions', { id }).then(setSides, (e) => setError(String(e.message ?? e)));
  }, [id]);
  if (error) return <div className="version-compare error">{error}</div>;
  if (!sides) return <div className="version-compare">Loading versions…</div>;
  const base = sides[0]!;
  const fields: [string, string, (s: VersionSide) => string][] = [
    ['from', 'From', (s) => addrs(s.from)],
    ['to', 'To', (s) => addrs(s.to)],
    ['cc', 'Cc', (s) => addrs(s.cc)],
    ['date', 'Date', (s) => s.dateHeader ?? '—'],
    ['subject', 'Subject', (s) => s.subject ?? ''],
  ];
  return (
    <div className="version-compare" data-testid="version-compare" role="dialog" aria-label="Compare versions">
      <div className="version-compare-head">
        <b>{sides.length} versions of {base.messageId}</b> <span className="muted">(same Message-ID, different content; differences from the first are marked)</span>
        <button onClick={onClose}>Close</button>
      </div>
      <div className="version-columns" style={{ gridTemplateColumns: `repeat(${sides.length}, minmax(0, 1fr))` }}>
        {sides.map((s, i) => (
          <div key={s.id} className="version-column" data-testid="version-column">
            <h4>
              {i === 0 ? 'This message' : `Version ${i + 1}`} · <button className="link" onClick={() => onOpen(s.id)}>#{s.id}</button>
            </h4>
            <div className="mono muted">SHA-256 {s.sha256.slice(0, 16)}… · {s.source.path.split(/[\\/]/).pop()} @ {s.source.offset}</div>
            <div className="version-dkim">{dkimLine(s)}</div>
            {s.differences.length > 0 && <div className="version-diffs">differs in: {s.differences.join(', ')}</div>}
            <dl>
              {fields.map(([key, label, get]) => (
                <div key={key} className={s.differences.includes(key) ? 'diff' : ''} data-diff={s.differences.includes(key) ? key : undefined}>
                  <dt>{label}</dt>
                  <dd>{get(s)}</dd>
                </div>
              ))}
            </dl>
            <div className={s.differences.includes('attachments') ? 'diff' : ''}>
              <b>Attachments</b>
              {s.attachments.length === 0 ? <div className="muted">none</div> : s.attachments.map((a, j) => <div key={j} className="mono">{a.filename ?? '(unnamed)'} · {a.size} B · {a.sha256.slice(0, 16)}…</div>)}
            </div>
            <pre className="version-text">{i === 0 ? base.text : <TextDiff a={base.text} b={s.text} />}</pre>
          </div>
        ))}
      </div>
    </div>
  );
}

/** The other version's text, with lines it adds marked and lines it lacks struck through. */
function TextDiff({ a, b }: { a: string; b: string }) {
  return (
    <>
      {diffLines(a, b).map((part, i) => (
        <span key={i} className={part.added ? 'added' : part.removed ? 'removed' : ''} data-testid={part.added ? 'text-added' : part.removed ? 'text-removed' : undefined}>
          {part.value}
        </span>
      ))}
    </>
  );
}

function dkimLine(s: VersionSide): string {
  if (!s.dkim) return 'DKIM: not checked';
  if (s.dkim.length === 0) return 'DKIM: not signed';
  return s.dkim.map((d) => `DKIM ${d.domain}: ${d.result}${d.bodyHash === 'body-altered' ? ' (body altered)' : ''}${d.caveats?.length ? ` — caveats: ${d.caveats.map((c) => c.name).join(', ')}` : ''}`).join('; ');
}
