import { useEffect, useMemo, useRef, useState } from 'react';
import { HitNavBar } from '../highlight/HitNavBar';
import { markHtmlHits } from '../highlight/mark-html';
import { useHitNav } from '../highlight/useHitNav';
import { sanitizeMailHtml } from '../sanitize-html';

/**
 * Untrusted mail HTML in an <iframe sandbox> with no script and no same-origin, via srcdoc; the search's
 * hits marked in its text (mark-html.ts) and reached by the frame's fragment (#cf-hit-N), which the page
 * may set on a sandboxed frame without any access to its document.
 */
export function HtmlFrame({ html, inline, query = '' }: { html: string; inline: Record<string, string>; query?: string }) {
  const safe = useMemo(() => sanitizeMailHtml(html, inline), [html, inline]);
  const [marked, setMarkedState] = useState<{ srcdoc: string; count: number } | null>(null);
  const frame = useRef<HTMLIFrameElement>(null);
  const loaded = useRef(false);
  const wanted = useRef(-1);
  /** A new document: a new frame, not loaded yet, no hit asked for. */
  const setMarked = (m: { srcdoc: string; count: number } | null) => {
    loaded.current = false;
    wanted.current = -1;
    setMarkedState(m);
  };
  useEffect(() => {
    let live = true;
    setMarked(null);
    if (!query.trim()) setMarked({ srcdoc: safe.srcdoc, count: 0 });
    else
      markHtmlHits(safe.srcdoc, query).then(
        (m) => live && setMarked(m),
        () => live && setMarked({ srcdoc: safe.srcdoc, count: 0 }), // a bad query is reported by the list
      );
    return () => {
      live = false;
    };
  }, [safe, query]); // eslint-disable-line react-hooks/exhaustive-deps
  // A fragment set before the srcdoc has loaded would cancel the load: remember it until onLoad.
  const show = (i: number) => {
    wanted.current = i;
    if (!loaded.current || !frame.current?.contentWindow) return;
    frame.current.contentWindow.location.href = `about:srcdoc#cf-hit-${i + 1}`;
    // Near the end of the document the frame cannot scroll the hit to its top: show the whole frame.
    frame.current.scrollIntoView({ block: 'nearest' });
  };
  const nav = useHitNav(marked?.count ?? 0, show, marked?.srcdoc ?? '');
  return (
    <div className="html-body">
      {safe.blockedRemote > 0 && (
        <details className="notice" data-testid="blocked-notice">
          <summary>
            {safe.blockedRemote} remote resource{safe.blockedRemote > 1 ? 's' : ''} blocked
          </summary>
          <p className="muted">Never fetched. A tracking pixel's address can identify the sender's mailing tool and the recipient.</p>
          <ol data-testid="blocked-list">
            {safe.blockedList.map((r, i) => (
              <li key={i}>
                <span className="muted">{r.where}</span> <code>{r.url}</code>
              </li>
            ))}
          </ol>
        </details>
      )}
      <HitNavBar nav={nav} />
      {marked && (
        <iframe
          key={marked.srcdoc}
          ref={frame}
          title="Message HTML"
          sandbox=""
          srcDoc={marked.srcdoc}
          referrerPolicy="no-referrer"
          data-testid="html-frame"
          data-hits={marked.count}
          onLoad={() => {
            if (loaded.current) return;
            loaded.current = true;
            if (wanted.current >= 0) show(wanted.current);
          }}
        />
      )}
      {safe.links.length > 0 && (
        <details className="links">
          <summary>{safe.links.length} link{safe.links.length > 1 ? 's' : ''} in this message (shown, never opened)</summary>
          <ol>
            {safe.links.map((l, i) => (
              <li key={i}>
                <code>{l}</code>
              </li>
            ))}
          </ol>
        </details>
      )}
    </div>
  );
}
