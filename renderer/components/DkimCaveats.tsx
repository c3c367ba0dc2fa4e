import { useState } from 'react';
import type { DkimVerdict } from '../../shared/types';
import { visibleText } from '../visible-text';

/** Per signature: why a pass proves less (caveats), t=/x= against the Date, and what a mailing list added. */
export function DkimCaveats({ dkim }: { dkim: DkimVerdict[] }) {
  const [shown, setShown] = useState<string | null>(null);
  const rows = dkim.filter((d) => d.caveats?.length || d.listChanges?.length || d.signedAt || d.expiresAt || d.arcContext);
  if (rows.length === 0) return null;
  return (
    <div className="dkim-caveats" data-testid="dkim-caveats">
      {rows.map((d, i) => (
        <div key={i}>
          <h4>
            {visibleText(d.domain)} <span className="muted">s={visibleText(d.selector)}</span>
            {d.keyBits ? <span className="muted"> · {d.keyBits}-bit key</span> : null}
            {d.signedAt ? <span className="muted"> · signed t={d.signedAt.replace('T', ' ').slice(0, 19)} UTC</span> : null}
            {d.expiresAt ? <span className="muted"> · expires x={d.expiresAt.replace('T', ' ').slice(0, 19)} UTC</span> : null}
          </h4>
          {d.caveats?.length > 0 && (
            <ul className="flags">
              {d.caveats.map((c) => (
                <li key={c.name}>
                  <code>{c.name}</code> {c.message}
                </li>
              ))}
            </ul>
          )}
          {d.arcContext && (
            <p className={d.arcContext.verified ? '' : 'muted'} data-testid="arc-context">
              ARC {d.arcContext.verified ? '(verified)' : '(unverified)'}: {visibleText(d.arcContext.text)}
            </p>
          )}
          {d.listChanges?.map((c, j) => {
            const key = `${i}-${j}`;
            return (
              <div key={key} data-testid="list-change">
                {c.description}
                {c.kind !== 'headers-refolded' && (
                  <>
                    {' '}
                    <button className="link" onClick={() => setShown(shown === key ? null : key)}>
                      {shown === key ? 'hide' : 'show the added text'}
                    </button>
                    {shown === key && <pre className="list-added">{c.text}</pre>}
                  </>
                )}
              </div>
            );
          })}
        </div>
      ))}
    </div>
  );
}
