import { SaxesParser } from 'saxes';

export interface XmlHandlers {
  open?: (local: string, attrs: Record<string, string>, qname: string) => void;
  close?: (local: string, qname: string) => void;
  text?: (t: string) => void;
}

const local = (q: string) => q.slice(q.indexOf(':') + 1);

/** Streaming read of one XML part with saxes (no DOM, no entity expansion beyond XML's five, no DTD fetch). */
export function walkXml(xml: string | Uint8Array, h: XmlHandlers): void {
  const p = new SaxesParser({ xmlns: false });
  p.on('opentag', (tag) => {
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(tag.attributes)) attrs[local(k)] = typeof v === 'string' ? v : String((v as any).value);
    h.open?.(local(tag.name), attrs, tag.name);
    if (tag.isSelfClosing) h.close?.(local(tag.name), tag.name);
  });
  p.on('closetag', (tag) => {
    if (!tag.isSelfClosing) h.close?.(local(tag.name), tag.name);
  });
  if (h.text) {
    p.on('text', h.text);
    p.on('cdata', h.text);
  }
  p.write(typeof xml === 'string' ? xml : new TextDecoder('utf-8').decode(xml)).close();
}

/** Simple property parts (core.xml, app.xml, meta.xml): the text of every leaf element, by local name. */
export function leafValues(xml: Uint8Array | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!xml) return out;
  let buf = '';
  walkXml(xml, {
    open: () => (buf = ''),
    text: (t) => (buf += t),
    close: (name) => {
      const v = buf.trim();
      if (v && !out.has(name)) out.set(name, v);
      buf = '';
    },
  });
  return out;
}

/** `<element name="…">value</element>` pairs (OOXML custom.xml properties, ODF meta:user-defined). */
export function namedValues(xml: Uint8Array | undefined, element: string): Record<string, string> | undefined {
  if (!xml) return undefined;
  const out: Record<string, string> = {};
  let name: string | null = null;
  let buf = '';
  walkXml(xml, {
    open: (n, a) => {
      if (n === element) (name = a.name ?? null), (buf = '');
    },
    text: (t) => (buf += t),
    close: (n) => {
      if (n === element && name) out[name] = buf.trim();
      if (n === element) name = null;
    },
  });
  return Object.keys(out).length ? out : undefined;
}
