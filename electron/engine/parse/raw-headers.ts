import iconv from 'iconv-lite';

/** Header blocks are read from at most this many bytes (a hostile message may never end its headers). */
const MAX_HEADER_BYTES = 1024 * 1024;

export interface RawHeaders {
  /** Unfolded header values by lower-case name, in order, decoded as UTF-8 or, where invalid, Windows-1252. */
  values: Map<string, string[]>;
  /** Names of headers whose raw bytes were not valid UTF-8 (legacy 8-bit headers). */
  eightBit: Set<string>;
  /** Offset of the body (after the empty line), or -1 when the header block does not end. */
  bodyOffset: number;
}

/**
 * Read the top-level header block from the original bytes. mailparser is right for MIME structure but
 * wrong for evidence in two places we need: it replaces an unparseable Date with the current time, and it
 * turns raw 8-bit (Latin-1 / Windows-1252) header bytes into U+FFFD. We read those headers here.
 */
export function readRawHeaders(raw: Buffer): RawHeaders {
  const limit = Math.min(raw.length, MAX_HEADER_BYTES);
  let end = -1;
  let bodyOffset = -1;
  for (let i = 0; i < limit; i++) {
    if (raw[i] !== 0x0a) continue;
    if (raw[i + 1] === 0x0a) {
      end = i + 1;
      bodyOffset = i + 2;
      break;
    }
    if (raw[i + 1] === 0x0d && raw[i + 2] === 0x0a) {
      end = i + 1;
      bodyOffset = i + 3;
      break;
    }
  }
  if (raw[0] === 0x0a || (raw[0] === 0x0d && raw[1] === 0x0a)) {
    end = 0;
    bodyOffset = raw[0] === 0x0a ? 1 : 2;
  }
  const block = raw.subarray(0, end === -1 ? limit : end);
  const values = new Map<string, string[]>();
  const eightBit = new Set<string>();
  let current: { name: string; parts: Buffer[] } | null = null;
  const flush = () => {
    if (!current) return;
    const bytes = Buffer.concat(current.parts);
    const { text, legacy } = decodeHeaderBytes(bytes);
    if (legacy) eightBit.add(current.name);
    const list = values.get(current.name) ?? [];
    list.push(text.replace(/\r?\n[ \t]/g, ' ').trim());
    values.set(current.name, list);
  };
  let lineStart = 0;
  while (lineStart < block.length) {
    let lf = block.indexOf(0x0a, lineStart);
    if (lf === -1) lf = block.length;
    const line = block.subarray(lineStart, lf);
    if (line[0] === 0x20 || line[0] === 0x09) {
      current?.parts.push(Buffer.from('\n'), line);
    } else {
      flush();
      const colon = line.indexOf(0x3a);
      current = colon > 0 ? { name: line.toString('latin1', 0, colon).trim().toLowerCase(), parts: [line.subarray(colon + 1)] } : null;
    }
    lineStart = lf + 1;
  }
  flush();
  return { values, eightBit, bodyOffset };
}

const shared = new WeakMap<Buffer, RawHeaders>();
/**
 * readRawHeaders once per buffer, for readers that only read the result: a parse worker's record
 * (parse-message.ts) and the same message's authenticity report (parse-span.ts) read the same block.
 */
export function sharedRawHeaders(raw: Buffer): Readonly<RawHeaders> {
  let headers = shared.get(raw);
  if (!headers) shared.set(raw, (headers = readRawHeaders(raw)));
  return headers;
}

/** UTF-8 when valid; otherwise the bytes are legacy 8-bit, most often Windows-1252 (a superset of Latin-1). */
export function decodeHeaderBytes(bytes: Buffer): { text: string; legacy: boolean } {
  const utf8 = bytes.toString('utf8');
  if (!utf8.includes('\uFFFD') || bytes.includes(Buffer.from('\uFFFD'))) return { text: utf8, legacy: false };
  return { text: iconv.decode(bytes, 'windows-1252'), legacy: true };
}

/** Parse a Date header strictly: null when it cannot be understood (never "now"). */
export function parseDateHeader(value: string): number | null {
  // Each step only where it can change something: a parse worker reads a Date and every Received hop's date
  // per message (issue 15).
  let cleaned = value.includes('(') ? value.replace(/\([^)]*\)/g, ' ') : value; // RFC 5322 comments, e.g. "(CEST)"
  if (NOT_SINGLE_SPACE.test(cleaned)) cleaned = cleaned.replace(/\s+/g, ' ');
  cleaned = cleaned.trim();
  if (!cleaned) return null;
  const ms = Date.parse(cleaned);
  if (Number.isNaN(ms)) return null;
  // Years outside 1970–2200 are a parse accident or a forgery signal; keep the header, not the value.
  return ms >= FIRST_MS && ms < AFTER_LAST_MS ? ms : null;
}

/** Whitespace that `replace(/\s+/g, ' ')` would change: a run of two or more, or one that is not a space. */
const NOT_SINGLE_SPACE = /\s{2,}|[^\S ]/;
const FIRST_MS = Date.UTC(1970, 0, 1);
const AFTER_LAST_MS = Date.UTC(2201, 0, 1);
