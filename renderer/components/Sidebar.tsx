import type { CaseStats, FacetFilters, FacetName, FacetsResult, TagInfo } from '../../shared/types';
import { FacetPanel } from './FacetPanel';
import { visibleText } from '../visible-text';

interface Props {
  stats: CaseStats | null;
  knownTags: TagInfo[];
  facets: FacetsResult | null;
  filters: FacetFilters;
  onToggle: (facet: FacetName, value: string) => void;
  onClearFilters: () => void;
  onSearch: (query: string) => void;
}

/** The case at a glance, tags, and the facets of the current results. */
export function Sidebar({ stats, knownTags, facets, filters, onToggle, onClearFilters, onSearch }: Props) {
  const filtered = Object.keys(filters).length > 0;
  return (
    <aside className="sidebar">
      <h3>Case</h3>
      {stats && (
        <ul className="facts">
          <li>{stats.messages} messages</li>
          <li>{stats.threads} threads</li>
          <li>{stats.duplicates} duplicate copies</li>
          <li>{stats.errors} with parse errors</li>
          <li>
            {stats.dateRange.first?.slice(0, 10) ?? '—'} → {stats.dateRange.last?.slice(0, 10) ?? '—'}
          </li>
        </ul>
      )}
      <h3>Tags</h3>
      <ul className="tags" data-testid="tag-sidebar">
        {knownTags.length === 0 && <li className="muted">none yet — press t on a message</li>}
        {knownTags.map((t) => (
          <li key={t.name}>
            <button className="linklike" onClick={() => onSearch(`tag:${t.name}`)}>
              <span className="dot" style={{ background: t.color }} />
              {t.name}
            </button>{' '}
            <span className="muted">{t.count}</span>
          </li>
        ))}
      </ul>
      {filtered && (
        <p className="filters-note">
          <b>Filtered</b>{' '}
          <button className="linklike" onClick={onClearFilters} data-testid="clear-filters">
            clear all filters
          </button>
        </p>
      )}
      <FacetPanel result={facets} filters={filters} onToggle={onToggle} />
      <h3>Sources</h3>
      <ul className="sources">
        {stats?.sources.slice(0, 12).map((s) => (
          <li key={s.id} title={`${s.path}\nSHA-256 ${s.sha256 ?? 'pending'}`}>
            {visibleText(s.path.split('/').pop())} <span className="muted">({s.messages})</span>
          </li>
        ))}
        {stats && stats.sources.length > 12 && <li className="muted">and {stats.sources.length - 12} more files</li>}
      </ul>
    </aside>
  );
}
