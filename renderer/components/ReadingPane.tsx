import { SaveOriginal } from './SaveOriginal';
import { useEffect, useRef, useState } from 'react';
import type { AttachmentInfo, DocumentHit, MessageBody, MessageJson, TagInfo } from '../../shared/types';
import { hitRanges, type Range } from '../highlight/hit-ranges';
import { HitNavBar } from '../highlight/HitNavBar';
import { Marked } from '../highlight/Marked';
import { useDomHits } from '../highlight/useHitNav';
import { call } from '../api-client';
import { formatAddresses, formatBytes } from '../format';
import { AttachmentViewer } from './AttachmentViewer';
import { DocumentDialog } from './DocumentDialog';
import { AuthPanel } from './AuthPanel';
import { DateLine } from './DateLine';
import { VersionsBadge } from './VersionsBadge';
import { HtmlFrame } from './HtmlFrame';
import { NoteEditor } from './NoteEditor';
import { TagEditor } from './TagEditor';
import { visibleText } from '../visible-text';

type Tab = 'body' | 'html' | 'headers' | 'raw';

interface Props {
  id: number;
  onOpenThread: (id: number) => void;
  knownTags: TagInfo[];
  onTagsChanged: () => void;
  /** Open another message (a version of this one). */
  onOpenMessage?: (id: number) => void;
  /** The current search: its hits are marked in the text and the HTML, and stepped through. */
  query?: string;
  /** Attachments whose extracted text holds the search's words (from the search hit). */
  documentHits?: DocumentHit[];
}

export function ReadingPane({ id, onOpenThread, knownTags, onTagsChanged, onOpenMessage, query = '', documentHits }: Props) {
  const [msg, setMsg] = useState<MessageJson | null>(null);
  const [body, setBody] = useState<MessageBody | null>(null);
  const [raw, setRaw] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>('body');
  const [error, setError] = useState<string | null>(null);
  const [viewing, setViewing] = useState<AttachmentInfo | null>(null);
  const [docOpen, setDocOpen] = useState<number | null>(null);

  useEffect(() => {
    let live = true;
    setMsg(null);
    setBody(null);
    setRaw(null);
    setError(null);
    // The body is a re-parse that may fail or be cut: the message, its tags, note, headers and raw
    // source are shown whatever happens to it.
    const bodyOrFailure = call('getBody', { id }).catch((e: Error): MessageBody => ({ id, text: '', html: null, inline: {}, headers: [], parseError: `The message could not be displayed: ${e.message}` }));
    Promise.all([call('getMessage', { id }), bodyOrFailure])
      .then(([m, b]) => {
        if (!live) return;
        setMsg(m);
        setBody(b);
        setTab(b.parseError ? 'headers' : b.html ? 'html' : 'body');
      })
      .catch((e) => live && setError(String(e.message)));
    return () => {
      live = false;
    };
  }, [id]);

  const [textHits, setTextHits] = useState<Range[] | undefined>(undefined);
  useEffect(() => {
    let live = true;
    setTextHits(undefined);
    if (body?.text && query.trim()) hitRanges(query, [body.text]).then((r) => live && setTextHits(r[0]), () => undefined);
    return () => {
      live = false;
    };
  }, [body, query]);
  const textPane = useRef<HTMLPreElement>(null);
  const textNav = useDomHits(textPane, `${id}:${tab}:${query}:${body ? 'loaded' : ''}`);

  useEffect(() => {
    if (tab !== 'raw' || raw !== null) return;
    call('getRaw', { id }).then(
      (r) => {
        const bytes = Uint8Array.from(atob(r.base64), (c) => c.charCodeAt(0));
        // Raw bytes shown as Latin-1 so that every byte is visible as one character, nothing dropped.
        const cut = r.truncated ? `\n\n[… the first ${formatBytes(bytes.length)} of ${formatBytes(r.size ?? 0)} are shown; "casefile show --raw" writes every byte]` : '';
        setRaw(visibleText(new TextDecoder('latin1').decode(bytes)) + cut);
      },
      (e: Error) => setRaw(`(raw source unavailable: ${e.message})`),
    );
  }, [tab, id, raw]);

  const changeTag = async (tag: string, remove: boolean) => {
    await call('tagMessages', { tag, selection: { ids: [id] }, remove });
    setMsg(await call('getMessage', { id }));
    onTagsChanged();
  };

  if (error) return <div className="pane reading error">{error}</div>;
  if (!msg || !body) return <div className="pane reading empty">Loading…</div>;
  return (
    <div className="pane reading" data-testid="reading-pane">
      <h1 className="subject">{visibleText(msg.subject) || '(no subject)'}</h1>
      <dl className="headers-summary">
        <dt>From</dt>
        <dd>{formatAddresses(msg.from)}</dd>
        <dt>To</dt>
        <dd>{formatAddresses(msg.to)}</dd>
        {msg.cc.length > 0 && (
          <>
            <dt>Cc</dt>
            <dd>{formatAddresses(msg.cc)}</dd>
          </>
        )}
        <dt>Date</dt>
        <dd>
          <DateLine msg={msg} />
        </dd>
        <dt>Source</dt>
        <dd className="mono" title={visibleText(msg.source.path)}>
          {visibleText(msg.source.path.split('/').pop())} @ {msg.source.offset} (+{msg.source.length} B) · SHA-256 {msg.sha256.slice(0, 16)}…
          {msg.locations.length > 1 && ` · ${msg.locations.length} copies`}
        </dd>
        {msg.source.derivation && (
          <>
            <dt>Original</dt>
            <dd className="derivation" data-testid="source-derivation">{msg.source.derivation}</dd>
          </>
        )}
      </dl>
      <AuthPanel auth={msg.auth} onKeysImported={async () => setMsg(await call('getMessage', { id }))} />
      <VersionsBadge msg={msg} onOpen={onOpenMessage} />
      <TagEditor tags={msg.tags} known={knownTags} onAdd={(t) => changeTag(t, false)} onRemove={(t) => changeTag(t, true)} />
      <NoteEditor
        note={msg.note}
        onSave={async (text) => {
          await call('setNote', { id, text });
          setMsg(await call('getMessage', { id }));
        }}
      />
      {msg.errors.length > 0 && (
        <ul className="errors" data-testid="message-errors">
          {msg.errors.map((e, i) => (
            <li key={i}>
              <b>{e.code}</b> {e.message}
            </li>
          ))}
        </ul>
      )}
      <div className="tabs" role="tablist">
        {(['body', 'html', 'headers', 'raw'] as Tab[]).map((t) => (
          <button key={t} role="tab" aria-selected={tab === t} disabled={t === 'html' && !body.html} onClick={() => setTab(t)} data-testid={`tab-${t}`}>
            {{ body: 'Text', html: 'HTML', headers: 'All headers', raw: 'Raw source' }[t]}
          </button>
        ))}
        <SaveOriginal key={msg.id} id={msg.id} />
        {msg.threadId && (
          <button className="thread-link" onClick={() => onOpenThread(msg.id)}>
            Thread
          </button>
        )}
      </div>
      {body.parseError && (
        <p className="query-error" data-testid="parse-error">
          {body.parseError}
        </p>
      )}
      {(body.notes?.length ?? 0) > 0 && (
        <ul className="notice" data-testid="display-notes">
          {body.notes!.map((n, i) => (
            <li key={i}>{n}</li>
          ))}
        </ul>
      )}
      {tab === 'body' && (
        <>
          <HitNavBar nav={textNav} />
          <pre className="text-body" ref={textPane} data-testid="text-body">
            {body.text ? <Marked text={body.text} ranges={textHits} /> : '(no text part)'}
          </pre>
        </>
      )}
      {tab === 'html' && body.html && <HtmlFrame html={body.html} inline={body.inline} query={query} />}
      {tab === 'headers' && (
        <table className="all-headers" data-testid="all-headers">
          <tbody>
            {body.headers.map((h, i) => (
              <tr key={i}>
                <th>{visibleText(h.name)}</th>
                <td>{visibleText(h.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {tab === 'raw' && <pre className="raw mono" data-testid="raw-source">{raw ?? 'Loading…'}</pre>}
      {msg.attachments.length > 0 && (
        <section className="attachments">
          <h2>Attachments</h2>
          <table>
            <thead>
              <tr>
                <th>Name</th>
                <th>Declared type</th>
                <th>Detected type</th>
                <th>Size</th>
                <th>SHA-256</th>
              </tr>
            </thead>
            <tbody>
              {msg.attachments.map((a) => (
                <tr key={a.index} className={a.typeMismatch ? 'mismatch' : ''}>
                  <td>
                    <button className="linklike" onClick={() => setViewing(a)} data-testid="attachment-open">
                      {visibleText(a.filename) ?? '(unnamed)'}
                    </button>
                    {documentHits?.some((h) => h.attachmentIndex === a.index) && (
                      <span className="attachment-hit" data-testid="attachment-hit" title="The search's words are in this attachment's text">
                        {' '}
                        ⌕ hit
                        {documentHits
                          .filter((h) => h.attachmentIndex === a.index && h.page)
                          .map((h) => ` p. ${h.page}`)
                          .join(',')}
                      </span>
                    )}
                    {a.document && (
                      <button className="linklike doc-link" onClick={() => setDocOpen(a.document!.id)} data-testid="attachment-document" title="Metadata, flags, text">
                        {' '}
                        · document{a.document.flags.length > 0 ? ` ⚑ ${a.document.flags.length}` : ''}
                      </button>
                    )}
                  </td>
                  <td>{a.contentType}</td>
                  <td>
                    {a.sniffedType ?? '—'}
                    {a.typeMismatch && <span className="warn" title="The bytes do not match the declared type"> ⚠ mismatch</span>}
                  </td>
                  <td>{formatBytes(a.size)}</td>
                  <td className="mono">{a.sha256.slice(0, 16)}…</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {docOpen !== null && <DocumentDialog id={docOpen} onClose={() => setDocOpen(null)} />}
      {viewing && <AttachmentViewer messageId={msg.id} info={viewing} onClose={() => setViewing(null)} />}
    </div>
  );
}
