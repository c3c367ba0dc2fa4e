import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { DocumentRecord } from './extract';

/** A DocumentRecord as sent from a worker and stored: the page texts deflated (JSON array of strings). */
export type WireDocument = Omit<DocumentRecord, 'pages'> & { pagesDeflated: Uint8Array; textChars: number };

export function toWire(d: DocumentRecord): WireDocument {
  const { pages, ...rest } = d;
  return { ...rest, pagesDeflated: deflateRawSync(JSON.stringify(pages), { level: 1 }), textChars: pages.reduce((n, p) => n + p.length, 0) };
}

export function pagesOf(deflated: Uint8Array | Buffer | null): string[] {
  if (!deflated || deflated.length === 0) return [];
  try {
    return JSON.parse(inflateRawSync(deflated).toString('utf8')) as string[];
  } catch {
    return [];
  }
}
