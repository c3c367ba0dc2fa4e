import { isLocalReference, sanitizeCss } from './sanitize-css';

/** Attributes that name a resource the browser would fetch (or a place a click or a ping would go). */
export const URL_ATTRS = ['src', 'srcset', 'background', 'poster', 'xlink:href', 'href', 'action', 'formaction', 'data', 'lowsrc', 'dynsrc', 'ping', 'codebase', 'cite', 'longdesc', 'manifest', 'icon'];
/** Human text: never parsed as CSS (a title may well say "url(…)"). */
export const TEXT_ATTRS = new Set(['alt', 'title', 'data-link', 'lang', 'dir', 'class', 'id', 'name', 'content']);

/** A reference that loads nothing from elsewhere (or, for links, that the viewer lists instead). */
export function isHarmless(el: Element, attr: string, value: string, inline: Record<string, string>): boolean {
  if (attr === 'href' && isHtmlLink(el)) return true;
  if (attr === 'src' && value.startsWith('cid:')) return Boolean(inline[value.slice(4)]);
  if (attr === 'src') return /^data:image\//i.test(value.trim());
  if (attr === 'href' || attr === 'xlink:href') return value.trim().startsWith('#');
  return value.trim() === '';
}

export function isHtmlLink(el: Element): boolean {
  return el.localName === 'a' && el.namespaceURI === 'http://www.w3.org/1999/xhtml';
}

/** Attributes that may carry CSS: style, and SVG presentation attributes (fill, mask, clip-path, …). */
export function mayHoldCss(name: string, value: string): boolean {
  return !TEXT_ATTRS.has(name) && !URL_ATTRS.includes(name) && (value.includes('(') || value.includes('\\') || /@import/i.test(value));
}

/**
 * Count every remote reference in a mail document, whatever later removes it (DOMPurify drops some
 * elements and attributes whole, the hooks the rest): URL attributes (each srcset candidate), CSS in
 * <style> and in attributes, a meta refresh. Parsed with DOMParser: an inert document, nothing loads.
 */
export function countRemoteReferences(html: string, inline: Record<string, string>): number {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  let n = 0;
  for (const el of doc.querySelectorAll('*')) {
    if (el.localName === 'style') n += sanitizeCss(el.textContent ?? '').blocked;
    if (el.localName === 'meta' && /refresh/i.test(el.getAttribute('http-equiv') ?? '') && /url\s*=/i.test(el.getAttribute('content') ?? '')) n++;
    for (const { name, value } of [...el.attributes]) {
      if (URL_ATTRS.includes(name)) {
        if (name === 'srcset') n += value.split(',').filter((c) => !isLocalReference(c.trim().split(/\s+/)[0] ?? '')).length;
        else if (!isHarmless(el, name, value, inline)) n++;
      } else if (mayHoldCss(name, value)) n += sanitizeCss(value).blocked;
    }
  }
  return n;
}
