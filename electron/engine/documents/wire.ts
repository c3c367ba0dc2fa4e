import { deflateText, inflateText } from '../util/raw-deflate';
import type { DocumentRecord } from './extract';

/** A DocumentRecord as sent from a worker and stored: the page texts deflated (JSON array of strings). */
export type WireDocument = Omit<DocumentRecord, 'pages'> & { pagesDeflated: Uint8Array; textChars: number };

export function toWire(d: DocumentRecord): WireDocument {
  const { pages, ...rest } = d;
  // deflateText: small texts (most documents' `[]`) stored without zlib, and every result in memory of its
  // own size: zlib's is a view of a 16 KiB chunk, which each postMessage on the way to the store cloned whole.
  return { ...rest, pagesDeflated: deflateText(JSON.stringify(pages)), textChars: pages.reduce((n, p) => n + p.length, 0) };
}

export function pagesOf(deflated: Uint8Array | Buffer | null): string[] {
  if (!deflated || deflated.length === 0) return [];
  try {
    return JSON.parse(inflateText(deflated)) as string[];
  } catch {
    return [];
  }
}

/** The record of a document that could not be extracted (crash, timeout, too large): hashed, typed, not opened. */
export function failedDocument(d: { sha256: string; size: number; name: string; type: string }, code: string, message: string): WireDocument {
  return toWire({ ...d, meta: {}, pages: [], errors: [{ code, message }] });
}
