import DOMPurify from 'dompurify';

export interface SafeHtml {
  srcdoc: string;
  blockedRemote: number;
  links: string[];
}

/** The policy of the sandboxed frame: nothing runs, nothing loads except inline data: images and CSS. */
export const FRAME_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";

const FORBID_TAGS = ['script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'form', 'input', 'button', 'textarea', 'select', 'meta', 'link', 'base', 'audio', 'video', 'source', 'track', 'portal'];
const URL_IN_CSS = /url\(\s*(['"]?)(.*?)\1\s*\)/gi;

/**
 * Mail HTML → a srcdoc for an <iframe sandbox> (no allow-scripts, no allow-same-origin): sanitized with
 * DOMPurify, cid: images resolved to inline parts, every remote resource removed and counted, links
 * made inert and listed. The frame's own CSP is a second wall should anything slip through.
 */
export function sanitizeMailHtml(html: string, inline: Record<string, string>): SafeHtml {
  let blockedRemote = 0;
  const links: string[] = [];
  const purify = DOMPurify(window);
  const cssUrls = (css: string) =>
    css.replace(URL_IN_CSS, (_m, _q, url: string) => {
      if (/^data:image\//i.test(url)) return `url("${url}")`;
      blockedRemote++;
      return 'none';
    });
  purify.addHook('afterSanitizeAttributes', (node) => {
    const el = node as Element;
    for (const attr of ['src', 'srcset', 'background', 'poster', 'xlink:href', 'href', 'action', 'formaction', 'data', 'lowsrc', 'dynsrc']) {
      if (!el.hasAttribute(attr)) continue;
      const value = el.getAttribute(attr) ?? '';
      if (attr === 'href' && el.tagName === 'A') {
        links.push(value);
        el.removeAttribute('href');
        el.setAttribute('title', value);
        el.setAttribute('data-link', String(links.length));
        continue;
      }
      if (attr === 'src' && value.startsWith('cid:') && inline[value.slice(4)]) {
        el.setAttribute('src', inline[value.slice(4)]!);
        continue;
      }
      if (/^data:image\//i.test(value) && attr === 'src') continue;
      if (value) blockedRemote++;
      el.removeAttribute(attr);
    }
    if (el.hasAttribute('style')) el.setAttribute('style', cssUrls(el.getAttribute('style')!));
  });
  purify.addHook('uponSanitizeElement', (node, data) => {
    if (data.tagName === 'style') node.textContent = cssUrls(node.textContent ?? '');
  });
  const clean = purify.sanitize(html, { WHOLE_DOCUMENT: true, FORBID_TAGS, ADD_TAGS: ['style'], FORCE_BODY: false }) as string;
  purify.removeAllHooks();
  const csp = `<meta http-equiv="Content-Security-Policy" content="${FRAME_CSP}">`;
  return { srcdoc: `<!doctype html><html><head>${csp}</head>${clean.replace(/^<html[^>]*>|<\/html>$/gi, '')}</html>`, blockedRemote, links };
}
