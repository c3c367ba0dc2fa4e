import type { SearchResult } from '../../shared/types';

/**
 * What the engine says about the last query, above the results: warnings (unknown tag or flag with the
 * nearest ones, stop words alone, …), "did you mean" as a link that runs the suggestion, and whether
 * the index is incomplete — still growing during an ingest, or with shards missing or damaged.
 */
export function SearchNotices({ last, onSearch }: { last: SearchResult | null; onSearch: (query: string) => void }) {
  if (!last) return null;
  const warnings = (last.warnings ?? []).filter((w) => !w.startsWith('the search index is incomplete'));
  const problems = last.indexProblems ?? [];
  const growing = !last.indexComplete && problems.length === 0;
  if (!warnings.length && !last.didYouMean && last.indexComplete) return null;
  return (
    <div className="search-notices" data-testid="search-notices" role="status">
      {warnings.map((w) => (
        <p key={w} className="warning" data-testid="search-warning">
          {w}
        </p>
      ))}
      {last.didYouMean && (
        <p data-testid="did-you-mean">
          Did you mean{' '}
          <button className="linklike" onClick={() => onSearch(last.didYouMean!.query)}>
            {last.didYouMean.query}
          </button>
          ?
        </p>
      )}
      {problems.length > 0 && (
        <p className="warning" data-testid="index-incomplete">
          The search index is incomplete: {problems.map((p) => `messages ${p.firstId}–${p.lastId} (${p.reason})`).join('; ')}. Their hits are missing; run{' '}
          <code>casefile index</code> on the case to rebuild it.
        </p>
      )}
      {growing && (
        <p className="muted" data-testid="index-incomplete">
          {last.notIndexed
            ? `The index is still growing: the ${last.notIndexed.toLocaleString('en')} newest messages are not searchable yet.`
            : 'The index is still growing: messages being ingested are not all searchable yet.'}
        </p>
      )}
    </div>
  );
}
