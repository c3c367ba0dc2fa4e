import { useState } from 'react';
import type { FacetFilters, FacetName, FacetsResult } from '../../shared/types';
import { visibleText } from '../visible-text';

const LABELS: Record<FacetName, string> = {
  mailbox: 'Mailboxes',
  domain: 'Sender domains',
  sender: 'Senders',
  recipient: 'Recipients',
  attachment: 'Attachment types',
  language: 'Language',
  tag: 'Tags',
  flag: 'Flags',
  dkim: 'DKIM',
};
const ORDER: FacetName[] = ['mailbox', 'sender', 'recipient', 'domain', 'attachment', 'language', 'tag', 'dkim', 'flag'];
const SHOWN = 6;
const LANG: Record<string, string> = { fr: 'French', en: 'English', other: 'other / undetermined' };

interface Props {
  result: FacetsResult | null;
  filters: FacetFilters;
  onToggle: (facet: FacetName, value: string) => void;
}

/** Facets with counts that follow the query; click a value to narrow (again to widen). */
export function FacetPanel({ result, filters, onToggle }: Props) {
  const [open, setOpen] = useState(new Set<FacetName>());
  if (!result) return <p className="muted">…</p>;
  return (
    <div className="facets" data-testid="facets">
      {ORDER.filter((f) => result.facets[f].length > 0).map((f) => {
        const values = result.facets[f];
        const all = open.has(f);
        return (
          <section key={f} className="facet" data-testid={`facet-${f}`}>
            <h3>{LABELS[f]}</h3>
            <ul>
              {(all ? values : values.slice(0, SHOWN)).map((v) => {
                const chosen = filters[f]?.includes(v.value) ?? false;
                return (
                  <li key={v.value}>
                    <button className={`facet-value${chosen ? ' chosen' : ''}`} aria-pressed={chosen} onClick={() => onToggle(f, v.value)} title={v.value} data-value={v.value}>
                      <span className="facet-label">{f === 'language' ? (LANG[v.value] ?? v.value) : visibleText(v.value)}</span>
                      <span className="count">{v.count}</span>
                    </button>
                  </li>
                );
              })}
            </ul>
            {values.length > SHOWN && (
              <button className="linklike more" onClick={() => setOpen((o) => new Set(all ? [...o].filter((x) => x !== f) : [...o, f]))}>
                {all ? 'fewer' : `${values.length - SHOWN} more`}
              </button>
            )}
          </section>
        );
      })}
    </div>
  );
}

export const FACET_LABELS = LABELS;
