import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import libmime from 'libmime';
import { MailParser, type AddressObject, type HeaderValue } from 'mailparser';
import type { Address, ParseIssue } from '../../../shared/types';
import { repairMislabeledBody } from './body-repair';
import { headersFromRaw } from './header-fallback';
import { AttachmentCollector } from '../documents/attachment-extract';
import type { WireDocument } from '../documents/wire';
import type { ParsedAttachment, ParsedRecord } from './parsed-record';
import { parseDateHeader, sharedRawHeaders, type RawHeaders } from './raw-headers';
import { isTypeMismatch, SNIFF_BYTES, sniffType } from './sniff';
import { fastMimeEnabled, fastParse, type FastParse } from './fast-mime/fast-parse';
import { deflateText } from '../util/raw-deflate';
import { collapseSpace } from './collapse-space';
import { sha256Hex } from '../util/sha256';
import { BoundedMemo } from '../util/bounded-memo';

/** Body text kept per message for search; longer bodies are cut (and flagged), never the evidence. */
const MAX_TEXT = 2 * 1024 * 1024;
const PREVIEW_CHARS = 240;
/** Above this, HTML is not converted to text by mailparser (its converter is slow on huge documents). */
const MAX_HTML_TO_TEXT = 4 * 1024 * 1024;

type Parsed = Omit<ParsedRecord, 'sha256' | 'length'>;

/** Shared with attachment-content.ts: the same options give the same attachment order and bytes. */
export const MAILPARSER_OPTIONS = {
  skipTextToHtml: true,
  skipTextLinks: true,
  skipImageLinks: true,
  maxHtmlLengthToParse: MAX_HTML_TO_TEXT,
};

/**
 * Parse one message: with the fast MIME path where it gives mailparser's result (fast-mime/), else with
 * mailparser. `input` is the message as the parser must see it (an mbox
 * message already un-quoted); `head` is the start of the original bytes (at least the header block),
 * from which Date and 8-bit headers are read (see raw-headers.ts). Never throws: problems become
 * `errors` entries on the record.
 */
export async function parseMessage(
  input: Buffer | Readable,
  head: Buffer = Buffer.isBuffer(input) ? input : Buffer.alloc(0),
  { extract = false } = {},
): Promise<Parsed> {
  // The lighter path first (identical results where it accepts the message, see fast-mime/).
  const fast = Buffer.isBuffer(input) && fastMimeEnabled() ? fastParse(input) : null;
  const body = fast ? await fromFastParse(fast, extract) : await parseWithMailparser(input, extract);
  return finishRecord(body, head);
}

/** What either MIME path gives, before the raw-header corrections and the record. */
interface ParsedBody {
  headers: Map<string, HeaderValue>;
  text: string;
  html: boolean;
  htmlDigest: string;
  attachments: ParsedAttachment[];
  errors: ParseIssue[];
  documents: WireDocument[];
}

/** Only mailparser: the reference the fast path is compared with (fast-mime-equivalence test). */
export async function parseMessageWithMailparser(input: Buffer | Readable, head: Buffer = Buffer.isBuffer(input) ? input : Buffer.alloc(0), { extract = false } = {}): Promise<Parsed> {
  return finishRecord(await parseWithMailparser(input, extract), head);
}

/** Only the fast path; null when it does not accept the message. */
export async function parseMessageFast(input: Buffer, head: Buffer = input, { extract = false } = {}): Promise<Parsed | null> {
  const fast = fastParse(input);
  return fast ? finishRecord(await fromFastParse(fast, extract), head) : null;
}

async function parseWithMailparser(input: Buffer | Readable, extract: boolean): Promise<ParsedBody> {
  const errors: ParseIssue[] = [];
  const parser = new MailParser(MAILPARSER_OPTIONS);
  let headers: Map<string, HeaderValue> = new Map();
  let text = '';
  let html = false;
  // Whitespace-collapsed HTML hashed as it streams by: part of the duplicate key (never stored).
  const htmlHash = createHash('sha256');
  const attachments: Promise<ParsedAttachment>[] = [];
  const documents: WireDocument[] = [];
  // Attachment streams not yet ended: when the parser fails (e.g. mailsplit's 1,000-part limit) they
  // never will, and waiting for them hung the message until the pool's timeout.
  const unfinished = new Set<Readable>();

  parser.on('headers', (h: Map<string, HeaderValue>) => {
    headers = h;
  });
  parser.on('data', (data: any) => {
    if (data.type === 'text') {
      if (typeof data.html === 'string' && data.html.length > 0) {
        html = true;
        htmlHash.update(collapseSpace(data.html));
      }
      text = typeof data.text === 'string' ? data.text : '';
      if (!text && typeof data.html === 'string' && data.html.length > MAX_HTML_TO_TEXT) {
        errors.push({ code: 'html-too-large', message: 'HTML body too large to convert to text for search' });
      }
    } else if (data.type === 'attachment') {
      unfinished.add(data.content);
      data.content.once('end', () => unfinished.delete(data.content));
      attachments.push(digestAttachment(data, extract ? documents : null));
    }
  });

  const done = new Promise<void>((resolve) => {
    parser.once('end', () => resolve());
    parser.once('error', (err: Error) => {
      errors.push({ code: 'parse-failed', message: `MIME parse failed: ${err.message}` });
      for (const content of unfinished) content.destroy(new Error(`attachment cut short: ${err.message}`));
      resolve();
    });
  });
  if (Buffer.isBuffer(input)) {
    parser.end(input);
  } else {
    input.on('error', (err) => parser.emit('error', err));
    input.pipe(parser);
  }
  await done;
  const atts = await Promise.allSettled(attachments);
  const parsedAttachments: ParsedAttachment[] = [];
  for (const a of atts) {
    if (a.status === 'fulfilled') parsedAttachments.push(a.value);
    else errors.push({ code: 'attachment-failed', message: String(a.reason?.message ?? a.reason) });
  }
  return { headers, text, html, htmlDigest: htmlHash.digest('hex'), attachments: parsedAttachments, errors, documents };
}

async function fromFastParse(fast: FastParse, extract: boolean): Promise<ParsedBody> {
  const documents: WireDocument[] = [];
  const attachments: ParsedAttachment[] = [];
  for (const a of fast.attachments) {
    const collector = extract ? new AttachmentCollector() : null;
    collector?.own(a.content);
    const sha256 = sha256Hex(a.content);
    const meta = { contentType: a.contentType, filename: a.filename, contentDisposition: a.disposition, contentId: a.contentId };
    attachments.push(await describeAttachment(meta, a.content.subarray(0, SNIFF_BYTES), sha256, a.content.length, collector, extract ? documents : null));
  }
  const htmlDigest = sha256Hex(fast.html ? collapseSpace(fast.html) : '');
  return { headers: fast.headers, text: fast.text, html: !!fast.html, htmlDigest, attachments, errors: [], documents };
}

async function finishRecord(body: ParsedBody, head: Buffer): Promise<Parsed> {
  const { errors } = body;
  let { headers, text } = body;
  const raw = sharedRawHeaders(head);
  if (headers.size === 0 && errors.some((e) => e.code === 'parse-failed')) {
    headers = await headersFromRaw(raw);
    if (headers.size > 0) errors.push({ code: 'headers-from-raw', message: 'the header block could not be parsed whole; sender, recipients, subject and Message-ID were read from its first 1 MiB' });
  }
  if (headers.size === 0) errors.push({ code: 'no-headers', message: 'no mail header found (empty or not a mail message)' });
  if (text.includes('\uFFFD')) {
    const repaired = repairMislabeledBody(head, raw);
    if (repaired !== null) {
      text = repaired;
      errors.push({ code: 'charset-mislabeled', message: 'body declared UTF-8/US-ASCII but is Windows-1252; decoded as Windows-1252' });
    }
  }
  return { ...buildRecord(headers, raw, text, body.html, body.htmlDigest, body.attachments, errors), documents: body.documents };
}

function digestAttachment(data: any, documents: WireDocument[] | null): Promise<ParsedAttachment> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    const head: Buffer[] = [];
    let headLen = 0;
    let size = 0;
    const content: Readable = data.content;
    const collector = documents ? new AttachmentCollector() : null;
    content.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      collector?.push(chunk);
      size += chunk.length;
      if (headLen < SNIFF_BYTES) {
        head.push(chunk.subarray(0, SNIFF_BYTES - headLen));
        headLen += Math.min(chunk.length, SNIFF_BYTES - headLen);
      }
    });
    content.on('error', (err) => {
      data.release?.();
      reject(err);
    });
    content.on('end', () => {
      data.release?.();
      describeAttachment(data, Buffer.concat(head), hash.digest('hex'), size, collector, documents).then(resolve, reject);
    });
  });
}

/** The attachment's record (and its documents, when extracting) once its bytes are digested. */
async function describeAttachment(
  data: { contentType?: unknown; filename?: unknown; contentDisposition?: unknown; contentId?: unknown },
  head: Buffer,
  sha256: string,
  size: number,
  collector: AttachmentCollector | null,
  documents: WireDocument[] | null,
): Promise<ParsedAttachment> {
  const contentType = String(data.contentType || 'application/octet-stream').toLowerCase();
  const filename = data.filename ? String(data.filename) : null;
  const sniffed = await sniffType(head);
  // Documents (text, metadata) extracted here, in the parse worker, off the main thread.
  if (collector) documents!.push(...(await collector.finish(sha256, { name: filename, contentType })));
  return {
    filename,
    contentType,
    sniffedType: sniffed,
    typeMismatch: isTypeMismatch(contentType, sniffed),
    size,
    sha256,
    disposition: data.contentDisposition ? String(data.contentDisposition) : null,
    contentId: data.contentId ? String(data.contentId) : null,
  };
}

function buildRecord(
  headers: Map<string, HeaderValue>,
  raw: RawHeaders,
  rawText: string,
  hasHtml: boolean,
  htmlDigest: string,
  attachments: ParsedAttachment[],
  errors: ParseIssue[],
): Parsed {
  let text = rawText;
  if (text.length > MAX_TEXT) {
    errors.push({ code: 'text-truncated', message: `body text longer than ${MAX_TEXT} characters; search covers the start only` });
    text = text.slice(0, MAX_TEXT);
  }
  if (text.includes('\uFFFD')) {
    errors.push({ code: 'charset-invalid', message: 'body bytes are not valid in the declared charset (shown with replacement characters)' });
  }
  // The Date header as written; mailparser would substitute the current time for an unparseable one.
  const dateHeader = raw.values.get('date')?.[0] ?? null;
  const dateMs = dateHeader ? parseDateHeader(dateHeader) : null;
  if (dateHeader && dateMs === null) errors.push({ code: 'invalid-date', message: `unparseable Date header: ${dateHeader.slice(0, 100)}` });
  let subject = headerText(headers.get('subject'));
  if (raw.eightBit.has('subject')) subject = decodeWordsSafe(raw.values.get('subject')![0]!);
  if (subject?.includes('\uFFFD')) errors.push({ code: 'charset-invalid-header', message: 'Subject has bytes invalid in its charset' });

  // Archivers and list servers differ in line endings, blank lines and the headers they add or rewrite
  // (Subject prefixes, To/Cc, display names), not in content: copies with the same Message-ID merge when
  // text and HTML (whitespace runs collapsed), attachments, the From addresses and the Date agree. Any
  // other difference keeps them apart (linked by sameMessageId): a forgery may reuse a genuine Message-ID
  // with an altered body, sender or date.
  const normalizedBody = collapseSpace(text);
  const fromAddresses = (raw.values.get('from') ?? []).flatMap((v) => v.toLowerCase().match(/[^\s<>"',;:]+@[^\s<>"',;]+/g) ?? []);
  const bodyKey = sha256Hex(JSON.stringify([normalizedBody, htmlDigest, attachments.map((a) => a.sha256), fromAddresses, dateMs]));

  return {
    messageId: messageIdOf(headers.get('message-id')),
    dateMs,
    dateHeader,
    tzOffsetMinutes: dateHeader ? timezoneOffset(dateHeader) : null,
    from: addresses(headers.get('from'), raw, 'from'),
    to: addresses(headers.get('to'), raw, 'to'),
    cc: addresses(headers.get('cc'), raw, 'cc'),
    bcc: addresses(headers.get('bcc'), raw, 'bcc'),
    replyTo: addresses(headers.get('reply-to'), raw, 'reply-to'),
    subject,
    inReplyTo: messageIdOf(headers.get('in-reply-to')),
    references: referencesOf(headers.get('references')),
    // Compressed here, in the worker, so the main thread only moves a small buffer (always in memory of its
    // own size: zlib's result is a view of a 16 KiB chunk, which postMessage would clone whole).
    textDeflated: deflateText(text),
    // A text within the preview's window is the whole text: its collapsed form is the duplicate key's.
    preview: (text.length <= PREVIEW_CHARS * 8 ? normalizedBody : collapseSpace(text.slice(0, PREVIEW_CHARS * 8))).slice(0, PREVIEW_CHARS),
    hasHtml,
    bodyKey,
    attachments,
    errors,
  };
}

function headerText(v: HeaderValue | undefined): string | null {
  if (v == null) return null;
  if (v instanceof Date) return v.toUTCString();
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map((x) => String(x)).join(' ');
  if (typeof v === 'object' && 'value' in v && typeof (v as any).value === 'string') return (v as any).value;
  if (typeof v === 'object' && 'text' in v) return String((v as any).text);
  return String(v);
}

function messageIdOf(v: HeaderValue | undefined): string | null {
  const s = headerText(v);
  if (!s) return null;
  const m = /<([^<>\s]+)>/.exec(s);
  const id = (m ? m[1] : s.trim().split(/\s+/)[0]) ?? '';
  return id.length > 0 ? id.slice(0, 998) : null;
}

function referencesOf(v: HeaderValue | undefined): string[] {
  const s = Array.isArray(v) ? v.join(' ') : headerText(v);
  if (!s) return [];
  const ids = [...s.matchAll(/<([^<>\s]+)>/g)].map((m) => m[1]!);
  return ids.length > 0 ? ids : s.split(/\s+/).filter(Boolean);
}

function decodeWordsSafe(value: string): string {
  try {
    return libmime.decodeWords(value);
  } catch {
    return value;
  }
}

function addresses(v: HeaderValue | undefined, raw: RawHeaders, name: string): Address[] {
  const list = parsedAddresses(v);
  if (!raw.eightBit.has(name)) return list;
  // Raw 8-bit display names: take them from the header bytes decoded as Windows-1252.
  const rawValue = (raw.values.get(name) ?? []).join(', ');
  return list.map((a) => {
    if (!a.name.includes('\uFFFD') || !a.address) return a;
    const m = displayNamePattern(a.address).exec(rawValue);
    return m ? { ...a, name: decodeWordsSafe(m[1]!.trim()) } : a;
  });
}

/**
 * The pattern that finds an address's display name in a raw header, compiled once per address: raw 8-bit
 * senders and recipients recur from message to message, and compiling a RegExp per address per message was
 * ≈1 % of a parse worker on such mail (issue 15). No g or y flag: exec() keeps no state between calls.
 */
function displayNamePattern(address: string): RegExp {
  return namePatterns.get(address, (a) => {
    const escaped = a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(?:^|,)\\s*"?([^"<>,]*?)"?\\s*<${escaped}>`, 'i');
  });
}
/** Addresses longer than 320 characters (hostile input) are compiled each time. */
const namePatterns = new BoundedMemo<RegExp>(2_000, 320);

function parsedAddresses(v: HeaderValue | undefined): Address[] {
  if (!v) return [];
  const objs = (Array.isArray(v) ? v : [v]) as AddressObject[];
  const out: Address[] = [];
  const walk = (list: any[]) => {
    for (const a of list) {
      if (Array.isArray(a?.group)) walk(a.group);
      else if (a && (a.address || a.name)) out.push({ name: String(a.name ?? ''), address: String(a.address ?? '').toLowerCase() });
    }
  };
  for (const o of objs) if (o && Array.isArray((o as any).value)) walk((o as any).value);
  return out;
}

/** Minutes east of UTC as written in the Date header ("+0200", "-0500", "GMT", "EST"…). */
export function timezoneOffset(dateHeader: string): number | null {
  const m = /([+-])(\d{2})(\d{2})\b/.exec(dateHeader);
  if (m) return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  const zones: Record<string, number> = { UT: 0, GMT: 0, Z: 0, EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420, CET: 60, CEST: 120 };
  const z = /\b(UT|GMT|Z|[ECMP][SD]T|CET|CEST)\b/.exec(dateHeader);
  return z ? zones[z[1]!]! : null;
}
