import type { DocumentMeta } from '../../../shared/types';

/** Metadata as written in the file (the public shape, shared/types.ts). */
export type DocMeta = DocumentMeta;

export interface ExtractIssue {
  code: string;
  message: string;
}

export interface ChildBytes {
  name: string;
  bytes: Uint8Array;
}

export interface Extracted {
  /** Family used by `type:` (pdf, word, excel, powerpoint, image, text, html, email, archive, other). */
  type: string;
  meta: DocMeta;
  exif?: Record<string, unknown>;
  /** Text per page (PDF) or one entry for the whole document. */
  pages: string[];
  errors: ExtractIssue[];
  /** Embedded files (PDF attachments, Office embeddings, archive entries): extracted as child documents. */
  children?: ChildBytes[];
}

/** Bounds per document (README, Documents). */
export const LIMITS = {
  /** Larger inputs are hashed and recorded but not opened. */
  maxInputBytes: 64 * 1024 * 1024,
  /** Text kept per document. */
  maxTextChars: 2 * 1024 * 1024,
  maxPdfPages: 2000,
  /** Uncompressed bytes read out of one zip-based document (OOXML, ODF, zip). */
  maxUnzippedBytes: 256 * 1024 * 1024,
  /** Uncompressed ÷ compressed above which an archive entry is treated as a bomb. */
  maxRatio: 200,
  maxEntries: 10_000,
  /** Nesting of child documents (attachment → zip → pdf → …). */
  maxDepth: 3,
  maxChildren: 200,
  /** Wall-clock budget per document, checked between pages/parts. */
  timeMs: 20_000,
};

export class Deadline {
  private readonly end: number;
  constructor(ms: number = LIMITS.timeMs) {
    this.end = Date.now() + ms;
  }
  expired(): boolean {
    return Date.now() > this.end;
  }
  check(what: string): void {
    if (Date.now() > this.end) throw new ExtractError('extract-timeout', `${what}: extraction took longer than ${LIMITS.timeMs / 1000} s`);
  }
}

export class ExtractError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Text bounded to LIMITS.maxTextChars across pages. */
export class TextSink {
  readonly pages: string[] = [];
  private total = 0;
  truncated = false;
  add(page: string): void {
    const room = LIMITS.maxTextChars - this.total;
    if (room <= 0) {
      this.truncated = true;
      return;
    }
    const t = page.length > room ? page.slice(0, room) : page;
    if (t.length < page.length) this.truncated = true;
    this.pages.push(t);
    this.total += t.length;
  }
}
