import { useMemo } from 'react';
import { sanitizeMailHtml } from '../sanitize-html';

/** Untrusted mail HTML in an <iframe sandbox> with no script and no same-origin, via srcdoc. */
export function HtmlFrame({ html, inline }: { html: string; inline: Record<string, string> }) {
  const safe = useMemo(() => sanitizeMailHtml(html, inline), [html, inline]);
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
      <iframe title="Message HTML" sandbox="" srcDoc={safe.srcdoc} referrerPolicy="no-referrer" data-testid="html-frame" />
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
