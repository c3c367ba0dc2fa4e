import { classifyFromLine, MAX_FROM_LINE } from './from-line';
import type { PositionalReader } from './positional-reader';

/** One message found in an mbox: where its bytes are, never the bytes themselves. */
export interface MboxEntry {
  /** Offset of the From_ line (null when the file has bytes before its first From_ line). */
  envelopeOffset: number;
  envelope: string | null;
  /** The message's own bytes: after the From_ line, without the separating empty line. */
  offset: number;
  length: number;
  /** A `>From ` line was seen: the parser un-quotes (mboxrd rule) before parsing. */
  quotedFrom: boolean;
  /** Where the next message's From_ line starts (or EOF): the resume point once this one is stored. */
  next: number;
}

const LF = 0x0a;
const CR = 0x0d;
const GT = 0x3e;
const FROM = Buffer.from('From ');
const HEADER_PROBE = 64 * 1024;

/**
 * Split an mbox into messages in bounded memory, starting at `start` (0 or a resume point returned as
 * `next`). Rules (documented in README "Mbox splitting rules"):
 * - a UTF-8 BOM before the first line is skipped;
 * - separators are decided by `classifyFromLine` plus the empty-line rule (see from-line.ts);
 * - a `Content-Length:` header is honoured (mboxcl/mboxcl2) when the bytes it points at are a From_ line or EOF;
 * - the empty line before a separator (or at EOF) belongs to the mbox format, not to the message;
 * - CRLF and LF files are both handled; the last message may lack a trailing newline.
 */
export async function* splitMbox(reader: PositionalReader, start = 0): AsyncGenerator<MboxEntry> {
  let pos = start;
  if (pos === 0) pos = await skipBom(reader);
  while (pos < reader.size) {
    const entry = await readOne(reader, pos);
    yield entry;
    if (entry.next <= pos) throw new Error(`mbox splitter made no progress at byte ${pos}`);
    pos = entry.next;
  }
}

async function skipBom(reader: PositionalReader): Promise<number> {
  const head = await reader.readAt(0, 3);
  return head.length === 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
}

async function readOne(reader: PositionalReader, pos: number): Promise<MboxEntry> {
  const line = await lineAt(reader, pos);
  const hasEnvelope = line.text.startsWith('From ');
  const bodyStart = hasEnvelope ? line.end : pos;
  const envelope = hasEnvelope ? line.text : null;

  const byLength = await contentLengthEnd(reader, bodyStart);
  if (byLength) {
    return { envelopeOffset: pos, envelope, offset: bodyStart, length: byLength.end - bodyStart, quotedFrom: false, next: byLength.next };
  }
  const found = await scanForSeparator(reader, bodyStart);
  return {
    envelopeOffset: pos,
    envelope,
    offset: bodyStart,
    length: found.end - bodyStart,
    quotedFrom: found.quotedFrom,
    next: found.next,
  };
}

/** The line at `pos` (without its EOL), and the position after its LF. Bounded to MAX_FROM_LINE bytes. */
async function lineAt(reader: PositionalReader, pos: number): Promise<{ text: string; end: number }> {
  const bytes = await bytesAt(reader, pos, MAX_FROM_LINE + 2);
  const lf = bytes.indexOf(LF);
  if (lf === -1) {
    // No newline within the bound: either EOF or a very long line (never an envelope).
    const atEof = pos + bytes.length >= reader.size;
    return { text: atEof ? bytes.toString('latin1') : '\u0000long-line', end: atEof ? reader.size : pos + bytes.length };
  }
  const textEnd = lf > 0 && bytes[lf - 1] === CR ? lf - 1 : lf;
  return { text: bytes.toString('latin1', 0, textEnd), end: pos + lf + 1 };
}

/** Up to `n` bytes at `pos`, served from the reader's window (no copy, no extra read in the common case). */
async function bytesAt(reader: PositionalReader, pos: number, n: number): Promise<Buffer> {
  const { buf, base } = await reader.window(pos, n, 3);
  return buf.subarray(pos - base, Math.min(buf.length, pos - base + n));
}

/** mboxcl/mboxcl2: trust Content-Length only when it lands exactly on a separator or EOF. */
async function contentLengthEnd(reader: PositionalReader, bodyStart: number): Promise<{ end: number; next: number } | null> {
  const head = await bytesAt(reader, bodyStart, HEADER_PROBE);
  const headerEnd = findHeaderEnd(head);
  if (headerEnd === -1) return null;
  const match = /^content-length:[ \t]*(\d{1,15})[ \t]*\r?$/im.exec(head.toString('latin1', 0, headerEnd));
  if (!match) return null;
  const end = bodyStart + headerEnd + Number(match[1]);
  if (end > reader.size) return null;
  if (end === reader.size) return { end, next: end };
  const after = await bytesAt(reader, end, MAX_FROM_LINE + 4);
  for (const skip of [0, 1, 2]) {
    if (skip === 1 && after[0] !== LF) continue;
    if (skip === 2 && !(after[0] === CR && after[1] === LF)) continue;
    const rest = after.subarray(skip);
    if (rest.length === 0 && end + skip === reader.size) return { end, next: reader.size };
    if (rest.subarray(0, 5).equals(FROM)) {
      const lf = rest.indexOf(LF);
      const text = rest.toString('latin1', 0, lf === -1 ? rest.length : lf).replace(/\r$/, '');
      if (classifyFromLine(text) !== 'none') return { end, next: end + skip };
    }
  }
  return null;
}

/** Offset just past the empty line that ends the header block, or -1 if not within the probe. */
function findHeaderEnd(head: Buffer): number {
  if (head[0] === LF) return 1;
  if (head[0] === CR && head[1] === LF) return 2;
  const lf = head.indexOf('\n\n');
  const crlf = head.indexOf('\r\n\r\n');
  if (lf === -1 && crlf === -1) return -1;
  if (crlf !== -1 && (lf === -1 || crlf < lf)) return crlf + 4;
  return lf + 2;
}

async function scanForSeparator(
  reader: PositionalReader,
  bodyStart: number,
): Promise<{ end: number; next: number; quotedFrom: boolean }> {
  let quotedFrom = false;
  let p = bodyStart;
  for (;;) {
    const { buf, base } = await reader.window(p, FROM.length, 3);
    const windowEnd = base + buf.length;
    let idx = buf.indexOf(FROM, p - base);
    while (idx !== -1) {
      const h = base + idx;
      const prev = h - 1 >= bodyStart ? buf[idx - 1] : LF; // the envelope's own LF counts as a line start
      if (prev === LF && h > bodyStart - 1) {
        const blankLen = blankLineBefore(buf, base, h, bodyStart);
        const line = await lineAt(reader, h);
        const strength = classifyFromLine(line.text);
        if (strength === 'strong' || (strength === 'weak' && blankLen > 0)) {
          return { end: h - blankLen, next: h, quotedFrom };
        }
      } else if (prev === GT && isQuotedFrom(buf, base, idx, bodyStart)) {
        quotedFrom = true;
      }
      idx = buf.indexOf(FROM, idx + 1);
    }
    if (windowEnd >= reader.size) return { end: stripFinalBlank(buf, base, reader.size, bodyStart), next: reader.size, quotedFrom };
    p = Math.max(p + 1, windowEnd - (FROM.length - 1));
  }
}

/** Length of the empty line (1 for LF, 2 for CRLF) right before `h` inside the message, or 0. */
function blankLineBefore(buf: Buffer, base: number, h: number, bodyStart: number): number {
  const at = (pos: number) => buf[pos - base];
  if (h - 1 < bodyStart || at(h - 1) !== LF) return 0;
  if (h - 1 === bodyStart) return 1;
  if (at(h - 2) === LF) return 1;
  if (at(h - 2) === CR && (h - 2 === bodyStart || at(h - 3) === LF)) return 2;
  return 0;
}

function isQuotedFrom(buf: Buffer, base: number, idx: number, bodyStart: number): boolean {
  let i = idx - 1;
  while (i >= 0 && buf[i] === GT) i--;
  return i < 0 || base + i < bodyStart || buf[i] === LF;
}

/** At EOF, an mbox writer's final empty line is not part of the last message. */
function stripFinalBlank(buf: Buffer, base: number, size: number, bodyStart: number): number {
  const at = (pos: number) => (pos - base >= 0 ? buf[pos - base] : -1);
  if (size - bodyStart >= 2 && at(size - 1) === LF && at(size - 2) === LF) return size - 1;
  if (size - bodyStart >= 4 && at(size - 1) === LF && at(size - 2) === CR && at(size - 3) === LF && at(size - 4) === CR) return size - 2;
  return size;
}
