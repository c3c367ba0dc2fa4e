import { useCallback, useEffect, useRef, useState } from 'react';
import type { CaseStats, FacetFilters, FacetName, SearchHit, TagInfo, TimelineUnit } from '../shared/types';
import { call } from './api-client';
import { BulkTag } from './components/BulkTag';
import { CaseSwitcher } from './components/CaseSwitcher';
import { Correspondents } from './components/Correspondents';
import { DocumentsView } from './components/DocumentsView';
import { ExportDialog } from './components/ExportDialog';
import { HelpDialog } from './components/HelpDialog';
import { ImportDialog } from './components/ImportDialog';
import { IngestIndicator } from './components/IngestIndicator';
import { MessageList } from './components/MessageList';
import { ReadingPane } from './components/ReadingPane';
import { ResultState } from './components/ResultState';
import { SearchNotices } from './components/SearchNotices';
import { Sidebar } from './components/Sidebar';
import { ThreadView } from './components/ThreadView';
import { Timeline } from './components/Timeline';
import { useRoute, type Route } from './hash-route';
import { useAppKeys } from './hooks/useAppKeys';
import { useFacets } from './hooks/useFacets';
import { useResults } from './hooks/useResults';
import { useToast } from './hooks/useToast';
import { describeFilters } from './format';
import { SORTS, usePref, type SortPref } from './prefs';

export function App() {
  const [route, go, routeNow] = useRoute();
  const { query, filters } = route;
  const [stats, setStats] = useState<CaseStats | null>(null);
  const [queryText, setQueryText] = useState(query);
  useEffect(() => setQueryText(query), [query]);
  const [sort, setSort] = usePref<SortPref>('sort', 'oldest', SORTS);
  const [themeName, setTheme] = usePref<'light' | 'dark'>('theme', matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light', ['light', 'dark']);
  const [unit, setUnit] = usePref<TimelineUnit | ''>('timelineUnit', '', ['', 'day', 'week', 'month']);
  const [stackBy, setStackBy] = usePref<FacetName | ''>('timelineStack', '', ['', 'mailbox', 'domain', 'language', 'attachment', 'tag']);
  const results = useResults(query, filters, sort);
  const [dataVersion, setDataVersion] = useState(0);
  const facets = useFacets(query, filters, stackBy, unit, dataVersion);
  const searchInput = useRef<HTMLInputElement>(null);
  const [knownTags, setKnownTags] = useState<TagInfo[]>([]);
  const [dialog, setDialog] = useState<'export' | 'import' | 'help' | null>(null);
  const [docsView, setDocsView] = useState(false);
  const [toast, setToast] = useToast();
  const selected = route.view === 'list' ? null : (route.id ?? null);
  const filtered = Object.keys(filters).length > 0;
  const refreshTags = useCallback(() => void call('listTags', {}).then(setKnownTags), []);

  useEffect(() => {
    call('stats', {}).then(setStats);
    refreshTags();
  }, [refreshTags]);

  /** Same result set, another place in it (or a new result set: query and filters change together). */
  // From the route as of the last navigation, not the rendered one: a second key pressed before React
  // re-rendered (Esc twice) must act on the view the first one opened.
  const place = (r: Partial<Route>) => go({ ...routeNow(), ...r });
  const search = (q: string) => go({ view: 'list', query: q, filters: {} });
  const setFilters = (f: FacetFilters) => go({ ...route, view: 'list', filters: f });
  const toggleFacet = (facet: FacetName, value: string) => {
    const now = filters[facet] ?? [];
    const next = now.includes(value) ? now.filter((v) => v !== value) : [...now, value];
    const f: FacetFilters = { ...filters, [facet]: next };
    if (!next.length) delete f[facet];
    setFilters(f);
  };

  /** After an ingest: fresh counts, sources, rows and overview. */
  const reloadAll = useCallback(() => {
    call('stats', {}).then(setStats);
    results.reload();
    setDataVersion((v) => v + 1);
  }, [results]);
  /** Messages arrived during an ingest: same place, more rows (no reset of scroll or selection). */
  const onGrow = () => {
    call('stats', {}).then(setStats);
    results.refreshLoaded();
    setDataVersion((v) => v + 1);
  };
  const onTagsChanged = (message?: string) => {
    refreshTags();
    results.refreshLoaded();
    setDataVersion((v) => v + 1);
    if (message) setToast(message);
  };

  const [marked, setMarked] = useState(new Set<number>());
  const anchor = useRef<number | null>(null);
  const { rows } = results;
  /** Plain click opens; Ctrl/Cmd-click marks or unmarks; Shift-click marks the range from the last click. */
  const select = (id: number, how: { toggle: boolean; range: boolean } = { toggle: false, range: false }) => {
    if (how.toggle || how.range) {
      const from = anchor.current; // read now: the updater below runs later, after anchor has moved
      setMarked((old) => {
        const next = new Set(old);
        if (how.range && from !== null) {
          const a = rows.findIndex((r) => r?.id === from);
          const b = rows.findIndex((r) => r?.id === id);
          for (let i = Math.min(a, b); i <= Math.max(a, b); i++) if (rows[i]) next.add(rows[i]!.id);
        } else if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      });
      anchor.current = id;
      return;
    }
    anchor.current = id;
    place({ view: 'message', id });
  };
  useEffect(() => setMarked(new Set()), [query, JSON.stringify(filters)]); // eslint-disable-line react-hooks/exhaustive-deps

  useAppKeys({
    escape: () => {
      const { view } = routeNow(); // not `route`: a second Esc may come before the first one's re-render
      if (view === 'thread') place({ view: 'message' });
      else if (view === 'message') place({ view: 'list', id: undefined });
    },
    focusSearch: () => searchInput.current?.focus(),
    move: (d) => {
      if (docsView) return; // the Documents view moves its own selection
      const i = rows.findIndex((r) => r?.id === selected);
      const next = rows[Math.max(0, Math.min(results.total - 1, i + d))];
      if (next) select(next.id);
    },
    openThread: () => selected && place({ view: 'thread', id: selected }),
    mark: () => selected && select(selected, { toggle: true, range: false }),
    help: () => setDialog('help'),
  });

  const active = query || filtered;
  const info = results.pending
    ? active
      ? 'searching…'
      : 'loading…'
    : results.error
    ? null
    : active
      ? `${results.total} result${results.total === 1 ? '' : 's'}${results.last ? ` · ${results.last.tookMs.toFixed(0)} ms` : ''}${results.last?.ignored.length ? ` · ignored: ${results.last.ignored.join(' ')}` : ''}${results.last && !results.last.indexComplete ? ' · index still growing' : ''}`
      : `${results.total} messages`;

  return (
    <div className={`app ${themeName}${docsView ? ' docs-mode' : ''}`}>
      <header className="topbar">
        <span className="brand">Casefile</span>
        <form
          className="search"
          onSubmit={(e) => {
            e.preventDefault();
            search(queryText.trim());
          }}
        >
          <input
            ref={searchInput}
            value={queryText}
            onChange={(e) => setQueryText(e.target.value)}
            placeholder='Search — words, "phrase", from:, date:2017-04-01..2017-05-07, -word, a OR b   ( / )'
            aria-label="Search"
            data-testid="search-input"
            className={results.error ? 'invalid' : ''}
          />
        </form>
        <span className={`info${results.pending ? ' pending' : ''}`} data-testid="result-info" aria-busy={results.pending}>
          {results.error && !results.pending ? <span className="query-error" data-testid="query-error">{results.error}</span> : toast ?? info}
        </span>
        {marked.size > 0 && (
          <BulkTag
            label={`Tag ${marked.size} marked…`}
            selection={{ ids: [...marked] }}
            known={knownTags}
            onDone={(m) => {
              setMarked(new Set());
              onTagsChanged(m);
            }}
          />
        )}
        {active && !results.pending && !results.error && results.total > 0 && (
          <BulkTag label={`Tag all ${results.total}…`} title={filtered ? `Every listed message: "${query}" narrowed by ${describeFilters(filters)}` : undefined} selection={filtered ? { query, filters } : { query }} known={knownTags} onDone={onTagsChanged} />
        )}
        <select className="small" value={sort} onChange={(e) => setSort(e.target.value as SortPref)} aria-label="Sort" title="Order of the list" data-testid="sort-select">
          <option value="oldest">Oldest first</option>
          <option value="newest">Newest first</option>
          {query && <option value="relevance">Relevance</option>}
        </select>
        <CaseSwitcher />
        <IngestIndicator onGrow={onGrow} onOpen={() => setDialog('import')} />
        <button className={`small${docsView ? ' primary' : ''}`} onClick={() => setDocsView(!docsView)} aria-pressed={docsView} data-testid="documents-toggle" title="Attachments and loose files with their metadata">
          Documents
        </button>
        <button className="small" onClick={() => setDialog('import')} data-testid="import-open">
          Add evidence…
        </button>
        <button className="small" onClick={() => setDialog('export')} data-testid="export-open">
          Export…
        </button>
        <button className="small" onClick={() => setDialog('help')} title="Keyboard shortcuts (?)" data-testid="help-open">
          ?
        </button>
        <button className="theme" onClick={() => setTheme(themeName === 'dark' ? 'light' : 'dark')} title="Switch light/dark theme">
          {themeName === 'dark' ? '☀' : '☾'}
        </button>
      </header>
      <Sidebar stats={stats} knownTags={knownTags} facets={facets} filters={filters} onToggle={toggleFacet} onClearFilters={() => setFilters({})} onSearch={search} />
      {docsView ? (
        <DocumentsView
          query={query}
          onOpenMessage={(id) => {
            setDocsView(false);
            place({ view: 'message', id });
          }}
        />
      ) : (
      <>
      <main className="pane list-pane">
        {stats?.messages === 0 ? (
          <div className="welcome" data-testid="welcome">
            <h2>This case is empty</h2>
            <p>Add an mbox file, a folder of .eml files or a Maildir. Evidence is read, never changed.</p>
            <button className="small primary" onClick={() => setDialog('import')}>
              Add evidence…
            </button>
          </div>
        ) : (
          <>
            <Timeline
              data={facets?.timeline ?? null}
              range={filters.date}
              onRange={(r) => {
                const f = { ...filters };
                if (r) f.date = r;
                else delete f.date;
                setFilters(f);
              }}
              unit={unit}
              onUnit={setUnit}
              stackBy={stackBy}
              onStackBy={setStackBy}
            />
            {!results.pending && !results.error && query && <SearchNotices last={results.last} onSearch={search} />}
            {results.loaded && (results.error || results.total === 0) ? (
              <ResultState error={results.error} last={results.last} query={query} filtered={filtered} onClearFilters={() => setFilters({})} />
            ) : (
              <MessageList
                rows={rows}
                total={results.pending ? 0 : results.total}
                selected={selected}
                marked={marked}
                onSelect={select}
                onNeedRange={results.onNeedRange}
                snippets={query ? results.snippets : undefined}
                tagColors={new Map(knownTags.map((t) => [t.name.toLowerCase(), t.color]))}
              />
            )}
          </>
        )}
      </main>
      <section className="pane reading-wrap">
        {route.view === 'thread' && selected ? (
          <ThreadView id={selected} query={query} onOpen={(id) => place({ view: 'message', id })} onMove={(id) => place({ view: 'thread', id })} knownTags={knownTags} onTagsChanged={onTagsChanged} />
        ) : selected ? (
          <ReadingPane
            id={selected}
            query={query}
            documentHits={(rows.find((r) => r?.id === selected) as SearchHit | undefined)?.documentHits}
            onOpenThread={(id) => place({ view: 'thread', id })}
            onOpenMessage={(id) => place({ view: 'message', id })}
            knownTags={knownTags}
            onTagsChanged={onTagsChanged}
          />
        ) : (
          <div className="pane reading">
            <Correspondents
              result={facets}
              onPick={(s, r) => setFilters({ ...filters, sender: [s], ...(r ? { recipient: [r] } : {}) })}
            />
          </div>
        )}
      </section>
      </>
      )}
      {dialog === 'import' && <ImportDialog onClose={() => setDialog(null)} onFinished={reloadAll} />}
      {dialog === 'export' && <ExportDialog query={query} filters={filters} listed={active && !results.pending ? results.total : null} tags={knownTags} onClose={() => setDialog(null)} />}
      {dialog === 'help' && <HelpDialog onClose={() => setDialog(null)} />}
    </div>
  );
}
