import DOMPurify from 'dompurify';
import { countRemoteReferences, isHarmless, isHtmlLink, mayHoldCss, URL_ATTRS } from './remote-references';
import { sanitizeCss } from './sanitize-css';

export interface SafeHtml {
  srcdoc: string;
  blockedRemote: number;
  links: string[];
}

/** The policy of the sandboxed frame: nothing runs, nothing loads except inline data: images and CSS. */
export const FRAME_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";

const FORBID_TAGS = ['script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'form', 'input', 'button', 'textarea', 'select', 'meta', 'link', 'base', 'audio', 'video', 'source', 'track', 'portal'];

/**
 * Mail HTML → a srcdoc for an <iframe sandbox> (no allow-scripts, no allow-same-origin): sanitized with
 * DOMPurify, cid: images resolved to inline parts, every remote resource removed (URL attributes, CSS in
 * <style> blocks, style attributes and SVG presentation attributes such as fill/mask/clip-path/filter —
 * see sanitize-css.ts) and counted (remote-references.ts), links made inert and listed. The frame's own
 * CSP is a second wall should anything slip through.
 */
export function sanitizeMailHtml(html: string, inline: Record<string, string>): SafeHtml {
  const links: string[] = [];
  const purify = DOMPurify(window);
  purify.addHook('afterSanitizeAttributes', (node) => {
    const el = node as Element;
    for (const attr of URL_ATTRS) {
      if (!el.hasAttribute(attr)) continue;
      const value = el.getAttribute(attr) ?? '';
      if (attr === 'href' && isHtmlLink(el)) {
        links.push(value);
        el.removeAttribute('href');
        el.setAttribute('title', value);
        el.setAttribute('data-link', String(links.length));
      } else if (attr === 'src' && value.startsWith('cid:') && inline[value.slice(4)]) {
        el.setAttribute('src', inline[value.slice(4)]!);
      } else if (!isHarmless(el, attr, value, inline)) {
        el.removeAttribute(attr);
      }
    }
    for (const { name, value } of [...el.attributes]) {
      if (name === 'style') el.setAttribute('style', sanitizeCss(value).css);
      else if (mayHoldCss(name, value) && sanitizeCss(value).blocked > 0) el.removeAttribute(name);
    }
  });
  purify.addHook('uponSanitizeElement', (node, data) => {
    if (data.tagName === 'style') node.textContent = sanitizeCss(node.textContent ?? '').css;
  });
  const clean = purify.sanitize(html, { WHOLE_DOCUMENT: true, FORBID_TAGS, ADD_TAGS: ['style'], FORCE_BODY: false }) as string;
  purify.removeAllHooks();
  const csp = `<meta http-equiv="Content-Security-Policy" content="${FRAME_CSP}">`;
  return { srcdoc: `<!doctype html><html><head>${csp}</head>${clean.replace(/^<html[^>]*>|<\/html>$/gi, '')}</html>`, blockedRemote: countRemoteReferences(html, inline), links };
}
