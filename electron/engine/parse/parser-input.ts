import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { MboxrdUnquoteStream, unquoteMboxrd } from './mboxrd-unquote';

const LF = 0x0a;
const CR = 0x0d;

/**
 * What the MIME parser is given for a message's original bytes. The stored bytes and their SHA-256 never
 * change; only the parser's view does:
 * - CR-only line ends (classic Mac mboxes) become CRLF: mailparser knows only LF and CRLF, and would read
 *   a CR-only message as one endless header line;
 * - mboxrd `>From ` lines lose one `>` when the splitter saw one (see mboxrd-unquote.ts).
 */
export function parserInput(raw: Buffer, quotedFrom: boolean): Buffer {
  const lines = hasCrOnlyLineEnds(raw) ? Buffer.from(raw.toString('latin1').replace(/\r/g, '\r\n'), 'latin1') : raw;
  return quotedFrom ? unquoteMboxrd(lines) : lines;
}

/** Streaming form of `parserInput` for messages too large to hold; `head` (its first bytes) decides the line ends. */
export function parserInputStream(source: Readable, head: Buffer, quotedFrom: boolean): Readable {
  const lines = hasCrOnlyLineEnds(head) ? source.pipe(new CrToCrlfStream()) : source;
  return quotedFrom ? lines.pipe(new MboxrdUnquoteStream()) : lines;
}

/** A message whose bytes hold CRs and no LF at all: written with classic Mac line ends. */
export function hasCrOnlyLineEnds(bytes: Buffer): boolean {
  return bytes.indexOf(LF) === -1 && bytes.indexOf(CR) !== -1;
}

class CrToCrlfStream extends Transform {
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    // No LF anywhere in such a message, so every CR is a whole line end, whatever the chunk cuts.
    done(null, Buffer.from(chunk.toString('latin1').replace(/\r/g, '\r\n'), 'latin1'));
  }
}
