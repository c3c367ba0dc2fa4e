import type { SearchResult } from '../../shared/types';

/** What the list area says when there is nothing to list: a bad query, or no hits (SearchNotices above says what may help). */
export function ResultState({ error, last, query, filtered, onClearFilters }: { error: string | null; last: SearchResult | null; query: string; filtered: boolean; onClearFilters: () => void }) {
  if (error) {
    return (
      <div className="result-state error" data-testid="result-error" role="alert">
        <h2>This query cannot be run</h2>
        <p>{error}</p>
        <p className="muted">Words, "a phrase", from:, to:, subject:, date:2017-04-01..2017-05-07, tag:, -word, a OR b. Press ? for help.</p>
      </div>
    );
  }
  return (
    <div className="result-state" data-testid="result-empty">
      <h2>No messages match</h2>
      {query && <p className="mono">{query}</p>}
      {last?.ignored.length ? <p className="muted">Ignored (too common to search): {last.ignored.join(' ')}</p> : null}
      {filtered && (
        <p>
          Facet or date filters are narrowing the results.{' '}
          <button className="linklike" onClick={onClearFilters}>
            Clear filters
          </button>
        </p>
      )}
    </div>
  );
}
