import { eolAt, eolBefore, headerBlockEnd, lineTextEnd, CR, LF } from './eol';
import { classifyFromLine, isHeaderLine, isMozillaEnvelope, MAX_FROM_LINE } from './from-line';
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

const GT = 0x3e;
const FROM = Buffer.from('From ');
const HEADER_PROBE = 64 * 1024;
/** Bytes before a candidate From_ line that the scanner needs to see: an empty line in CRLF is 4. */
const LOOKBEHIND = 4;

/**
 * Split an mbox into messages in bounded memory, starting at `start` (0 or a resume point returned as
 * `next`). Rules (documented in README "Mbox splitting rules"):
 * - a UTF-8 BOM before the first line is skipped;
 * - separators are decided by `classifyFromLine` plus the empty-line rule (see from-line.ts); a bare
 *   Mozilla `From -` line followed by a header line separates without an empty line;
 * - a `Content-Length:` header is honoured (mboxcl/mboxcl2) when the bytes it points at are a From_ line or
 *   EOF, with or without an empty line between; otherwise it is ignored;
 * - the empty line before a separator (or at EOF) belongs to the mbox format, not to the message;
 * - LF, CRLF and CR-only (classic Mac) line ends are all handled, even mixed in one file; the last message
 *   may lack a trailing newline.
 * The entries tile the file: each owns [envelopeOffset, next), which is its From_ line, its message bytes
 * and at most one separating empty line; only a BOM lies outside every entry.
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

/** The line at `pos` (without its line end), and the position after its line end. Bounded to MAX_FROM_LINE bytes. */
async function lineAt(reader: PositionalReader, pos: number): Promise<{ text: string; end: number }> {
  const bytes = await bytesAt(reader, pos, MAX_FROM_LINE + 2);
  const textEnd = lineTextEnd(bytes);
  if (textEnd === -1) {
    // No line end within the bound: either EOF or a very long line (never an envelope).
    const atEof = pos + bytes.length >= reader.size;
    return { text: atEof ? bytes.toString('latin1') : '\u0000long-line', end: atEof ? reader.size : pos + bytes.length };
  }
  return { text: bytes.toString('latin1', 0, textEnd), end: pos + textEnd + eolAt(bytes, textEnd) };
}

/** Up to `n` bytes at `pos`, served from the reader's window (no copy, no extra read in the common case). */
async function bytesAt(reader: PositionalReader, pos: number, n: number): Promise<Buffer> {
  const { buf, base } = await reader.window(pos, n, LOOKBEHIND);
  return buf.subarray(pos - base, Math.min(buf.length, pos - base + n));
}

/** mboxcl/mboxcl2: trust Content-Length only when it lands exactly on a separator or EOF. */
async function contentLengthEnd(reader: PositionalReader, bodyStart: number): Promise<{ end: number; next: number } | null> {
  const head = await bytesAt(reader, bodyStart, HEADER_PROBE);
  const headerEnd = headerBlockEnd(head);
  if (headerEnd === -1) return null;
  const match = /^content-length:[ \t]*(\d{1,15})[ \t]*$/im.exec(head.toString('latin1', 0, headerEnd));
  if (!match) return null;
  const end = bodyStart + headerEnd + Number(match[1]);
  if (end > reader.size) return null;
  if (end === reader.size) return { end, next: end };
  // The byte before `end` (the body's last line end) and the bytes from `end` on.
  const around = await bytesAt(reader, end - 1, MAX_FROM_LINE + 5);
  const after = around.subarray(1);
  // The next From_ line right at `end`, or after one empty line (mboxcl writes one, Netscape does not).
  for (const skip of new Set([0, eolAt(after, 0)])) {
    if (end + skip === reader.size) return { end, next: reader.size };
    const atLineStart = skip > 0 || around[0] === LF || around[0] === CR;
    if (atLineStart && after.subarray(skip, skip + 5).equals(FROM)) {
      // The length corroborates the envelope: any envelope-like From_ line will do here.
      if (classifyFromLine((await lineAt(reader, end + skip)).text) !== 'none') return { end, next: end + skip };
    }
  }
  return null;
}

/** Whether the From_ line at `h` (at a line start) separates messages, given whether an empty line precedes it. */
async function separatorAt(reader: PositionalReader, h: number, afterBlank: boolean): Promise<boolean> {
  const line = await lineAt(reader, h);
  const strength = classifyFromLine(line.text);
  if (strength === 'strong' || (strength === 'weak' && afterBlank)) return true;
  if (!isMozillaEnvelope(line.text)) return false;
  return line.end >= reader.size || isHeaderLine((await lineAt(reader, line.end)).text);
}

async function scanForSeparator(
  reader: PositionalReader,
  bodyStart: number,
): Promise<{ end: number; next: number; quotedFrom: boolean }> {
  let quotedFrom = false;
  let p = bodyStart;
  for (;;) {
    const { buf, base } = await reader.window(p, FROM.length, LOOKBEHIND);
    const windowEnd = base + buf.length;
    let idx = buf.indexOf(FROM, p - base);
    while (idx !== -1) {
      const h = base + idx;
      // A line starts after LF, or after a CR that is not half of a CRLF (here followed by "F");
      // the envelope's own line end counts as one.
      const prev = h - 1 >= bodyStart ? buf[idx - 1] : LF;
      if (prev === LF || prev === CR) {
        const blankLen = blankLineBefore(buf, base, h, bodyStart);
        if (await separatorAt(reader, h, blankLen > 0)) return { end: h - blankLen, next: h, quotedFrom };
      } else if (prev === GT && isQuotedFrom(buf, base, idx, bodyStart)) {
        quotedFrom = true;
      }
      idx = buf.indexOf(FROM, idx + 1);
    }
    if (windowEnd >= reader.size) return { end: stripFinalBlank(buf, base, reader.size, bodyStart), next: reader.size, quotedFrom };
    p = Math.max(p + 1, windowEnd - (FROM.length - 1));
  }
}

/**
 * Length of the empty line's terminator right before `h` inside the message (the line ending at `h` is
 * empty), or 0. The envelope's line end counts as the start of the message's first line.
 */
function blankLineBefore(buf: Buffer, base: number, h: number, bodyStart: number): number {
  const lo = bodyStart - base;
  const last = eolBefore(buf, h - base, lo);
  if (last === 0) return 0;
  const lineStart = h - base - last;
  return lineStart === lo || eolBefore(buf, lineStart, lo) > 0 ? last : 0;
}

function isQuotedFrom(buf: Buffer, base: number, idx: number, bodyStart: number): boolean {
  let i = idx - 1;
  while (i >= 0 && buf[i] === GT) i--;
  return i < 0 || base + i < bodyStart || buf[i] === LF || buf[i] === CR;
}

/** At EOF, an mbox writer's final empty line is not part of the last message. */
function stripFinalBlank(buf: Buffer, base: number, size: number, bodyStart: number): number {
  const lo = Math.max(0, bodyStart - base);
  const last = eolBefore(buf, size - base, lo);
  if (last === 0 || size - last <= bodyStart) return size;
  return eolBefore(buf, size - base - last, lo) > 0 ? size - last : size;
}
