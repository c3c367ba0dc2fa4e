import { useCallback, useEffect, useRef, useState } from 'react';
import type { CaseStats, MessageSummary, TagInfo } from '../shared/types';
import { call, CallError } from './api-client';
import { BulkTag } from './components/BulkTag';
import { ExportDialog } from './components/ExportDialog';
import { ImportDialog } from './components/ImportDialog';
import { MessageList } from './components/MessageList';
import { ReadingPane } from './components/ReadingPane';
import { ThreadView } from './components/ThreadView';
import { useRoute } from './hash-route';

const PAGE = 200;

export function App() {
  const [route, go] = useRoute();
  const [stats, setStats] = useState<CaseStats | null>(null);
  const [rows, setRows] = useState<(MessageSummary | undefined)[]>([]);
  const [total, setTotal] = useState(0);
  const [snippets, setSnippets] = useState(new Map<number, string>());
  const [queryText, setQueryText] = useState(route.view === 'search' ? route.query : '');
  const [queryError, setQueryError] = useState<string | null>(null);
  const [info, setInfo] = useState('');
  const [selected, setSelected] = useState<number | null>(route.view === 'message' || route.view === 'thread' ? route.id : null);
  const searchInput = useRef<HTMLInputElement>(null);
  const activeQuery = route.view === 'search' ? route.query : '';
  const loading = useRef(new Set<number>());
  /** List order (by date); a ref because loadPage is created once. */
  const newestFirst = useRef(false);
  const [, setOrderShown] = useState(false);
  const theme = useTheme();
  const [knownTags, setKnownTags] = useState<TagInfo[]>([]);
  const [exporting, setExporting] = useState(false);
  const [importing, setImporting] = useState(false);
  const [toast, setToast] = useState<string | null>(null);
  const refreshTags = useCallback(() => void call('listTags', {}).then(setKnownTags), []);

  useEffect(() => {
    call('stats', {}).then(setStats);
    refreshTags();
  }, [refreshTags]);
  /** After an ingest, or a new list order: fresh counts, sources and rows. */
  const reloadAll = useCallback(() => {
    call('stats', {}).then(setStats);
    loading.current.clear();
    setRows([]);
    setListVersion((v) => v + 1);
  }, []);
  const [listVersion, setListVersion] = useState(0);
  useEffect(() => {
    if (route.view === 'message' || route.view === 'thread') setSelected(route.id);
  }, [route]);

  const loadPage = useCallback(
    async (page: number, query: string) => {
      if (loading.current.has(page)) return;
      loading.current.add(page);
      if (query) {
        try {
          const r = await call('search', { query, limit: PAGE, offset: page * PAGE, sort: 'date' });
          setQueryError(null);
          setTotal(r.total);
          setInfo(`${r.total} result${r.total === 1 ? '' : 's'} · ${r.tookMs.toFixed(0)} ms${r.ignored.length ? ` · ignored: ${r.ignored.join(' ')}` : ''}`);
          setRows((old) => {
            const next = old.slice();
            r.hits.forEach((h, i) => (next[page * PAGE + i] = { ...h, sha256: '', messageId: null, threadId: null, size: 0, hasErrors: false }));
            return next;
          });
          setSnippets((old) => new Map([...old, ...r.hits.map((h) => [h.id, h.snippet] as const)]));
        } catch (e) {
          setQueryError(e instanceof CallError ? e.message : String(e));
          setTotal(0);
        }
      } else {
        const r = await call('listMessages', { limit: PAGE, offset: page * PAGE, order: newestFirst.current ? 'desc' : 'asc' });
        setTotal(r.total);
        setInfo(`${r.total} messages`);
        setRows((old) => {
          const next = old.slice();
          r.messages.forEach((m, i) => (next[page * PAGE + i] = m));
          return next;
        });
      }
    },
    [],
  );

  useEffect(() => {
    loading.current.clear();
    setRows([]);
    setSnippets(new Map());
    void loadPage(0, activeQuery);
  }, [activeQuery, loadPage, listVersion]);

  /** After a tag change: refresh the tag list and the rows already loaded (their chips). */
  const onTagsChanged = useCallback(
    (message?: string) => {
      refreshTags();
      const pages = [...loading.current];
      loading.current.clear();
      for (const p of pages) void loadPage(p, activeQuery);
      if (message) setToast(message);
    },
    [refreshTags, loadPage, activeQuery],
  );

  const onNeedRange = useCallback(
    (start: number, end: number) => {
      for (let p = Math.floor(start / PAGE); p <= Math.floor(end / PAGE); p++) void loadPage(p, activeQuery);
    },
    [activeQuery, loadPage],
  );

  const [marked, setMarked] = useState(new Set<number>());
  const anchor = useRef<number | null>(null);
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
    setSelected(id);
    if (route.view !== 'search') go({ view: 'message', id });
  };
  useEffect(() => setMarked(new Set()), [activeQuery]);

  // Keyboard: j/k next/previous, Enter opens, / focuses search, Esc leaves the search box / the thread.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const inInput = ['INPUT', 'TEXTAREA', 'SELECT'].includes((e.target as HTMLElement).tagName);
      if (e.key === 'Escape') {
        if (inInput) (e.target as HTMLElement).blur();
        else if (route.view === 'thread') go({ view: 'message', id: route.id });
        return;
      }
      if (inInput) return;
      if (e.key === '/') {
        e.preventDefault();
        searchInput.current?.focus();
      } else if (e.key === 'j' || e.key === 'k') {
        const i = rows.findIndex((r) => r?.id === selected);
        const next = rows[Math.max(0, Math.min(total - 1, i + (e.key === 'j' ? 1 : -1)))];
        if (next) select(next.id);
      } else if (e.key === 'Enter' && selected) go({ view: 'thread', id: selected });
      else if (e.key === 'x' && selected) select(selected, { toggle: true, range: false });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  return (
    <div className={`app ${theme.name}`}>
      <header className="topbar">
        <span className="brand">Casefile</span>
        <form
          className="search"
          onSubmit={(e) => {
            e.preventDefault();
            go(queryText.trim() ? { view: 'search', query: queryText.trim() } : { view: 'list' });
          }}
        >
          <input
            ref={searchInput}
            value={queryText}
            onChange={(e) => setQueryText(e.target.value)}
            placeholder='Search — words, "phrase", from:, date:2017-04-01..2017-05-07, -word, a OR b   ( / )'
            aria-label="Search"
            data-testid="search-input"
            className={queryError ? 'invalid' : ''}
          />
        </form>
        <span className="info" data-testid="result-info">
          {queryError ? <span className="query-error" data-testid="query-error">{queryError}</span> : toast ?? info}
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
        {activeQuery && !queryError && total > 0 && <BulkTag label={`Tag all ${total}…`} selection={{ query: activeQuery }} known={knownTags} onDone={onTagsChanged} />}
        {!activeQuery && (
          <button
            className="small"
            data-testid="order-toggle"
            title="Sort the list by date"
            onClick={() => {
              newestFirst.current = !newestFirst.current;
              setOrderShown(newestFirst.current);
              reloadAll();
            }}
          >
            {newestFirst.current ? 'Newest first' : 'Oldest first'}
          </button>
        )}
        <button className="small" onClick={() => setImporting(true)} data-testid="import-open">
          Add evidence…
        </button>
        <button className="small" onClick={() => setExporting(true)} data-testid="export-open">
          Export…
        </button>
        <button className="theme" onClick={theme.toggle} title="Switch light/dark theme">
          {theme.name === 'dark' ? '☀' : '☾'}
        </button>
      </header>
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
              <button className="linklike" onClick={() => { setQueryText(`tag:${t.name}`); go({ view: 'search', query: `tag:${t.name}` }); }}>
                <span className="dot" style={{ background: t.color }} />
                {t.name}
              </button>{' '}
              <span className="muted">{t.count}</span>
            </li>
          ))}
        </ul>
        <h3>Sources</h3>
        <ul className="sources">
          {stats?.sources.slice(0, 12).map((s) => (
            <li key={s.id} title={`${s.path}\nSHA-256 ${s.sha256 ?? 'pending'}`}>
              {s.path.split('/').pop()} <span className="muted">({s.messages})</span>
            </li>
          ))}
          {stats && stats.sources.length > 12 && <li className="muted">and {stats.sources.length - 12} more files</li>}
        </ul>
        <h3>Top senders</h3>
        <ul className="senders">
          {stats?.topSenders.slice(0, 8).map((s) => (
            <li key={s.address}>
              <button className="linklike" onClick={() => { setQueryText(`from:${s.address}`); go({ view: 'search', query: `from:${s.address}` }); }}>
                {s.name || s.address}
              </button>{' '}
              <span className="muted">{s.count}</span>
            </li>
          ))}
        </ul>
      </aside>
      <main className="pane list-pane">
        {stats?.messages === 0 ? (
          <div className="welcome" data-testid="welcome">
            <h2>This case is empty</h2>
            <p>Add an mbox file, a folder of .eml files or a Maildir. Evidence is read, never changed.</p>
            <button className="small primary" onClick={() => setImporting(true)}>
              Add evidence…
            </button>
          </div>
        ) : (
        <MessageList rows={rows} total={total} selected={selected} marked={marked} onSelect={select} onNeedRange={onNeedRange} snippets={activeQuery ? snippets : undefined} tagColors={new Map(knownTags.map((t) => [t.name.toLowerCase(), t.color]))} />
        )}
      </main>
      <section className="pane reading-wrap">
        {route.view === 'thread' ? (
          <ThreadView id={route.id} onOpen={(id) => go({ view: 'message', id })} knownTags={knownTags} onTagsChanged={onTagsChanged} />
        ) : selected ? (
          <ReadingPane id={selected} onOpenThread={(id) => go({ view: 'thread', id })} knownTags={knownTags} onTagsChanged={onTagsChanged} />
        ) : (
          <div className="pane reading empty">Select a message (j / k to move, Enter for its thread)</div>
        )}
      </section>
      {importing && <ImportDialog onClose={() => setImporting(false)} onFinished={reloadAll} />}
      {exporting && <ExportDialog query={activeQuery} tags={knownTags} onClose={() => setExporting(false)} />}
    </div>
  );
}

function useTheme() {
  const [name, setName] = useState<'light' | 'dark'>(() => (matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'));
  return { name, toggle: () => setName((n) => (n === 'dark' ? 'light' : 'dark')) };
}
