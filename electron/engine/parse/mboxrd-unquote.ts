import { Transform, type TransformCallback } from 'node:stream';

/**
 * mboxrd un-quoting: a line matching /^>+From / loses one '>'. Applied only to messages in which the
 * splitter saw such a line, and only to what the parser sees: the stored bytes and their SHA-256 stay
 * the original ones. (For mboxo files a body line that was ">From " originally becomes "From "; mboxo
 * cannot tell the two apart, and we document that.)
 */
export function unquoteMboxrd(buf: Buffer): Buffer {
  const s = buf.toString('latin1');
  const out = s.replace(/^>(>*From )/gm, '$1');
  return out.length === s.length ? buf : Buffer.from(out, 'latin1');
}

/** Streaming form of `unquoteMboxrd` for messages too large to hold in memory. */
export class MboxrdUnquoteStream extends Transform {
  private carry = '';

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const text = this.carry + chunk.toString('latin1');
    const lastLf = text.lastIndexOf('\n');
    // Keep an unfinished last line (bounded: a quoted From line is short) for the next chunk.
    const cut = lastLf === -1 ? (text.length > 4096 ? text.length : 0) : lastLf + 1;
    this.carry = text.slice(cut);
    if (cut > 0) this.push(Buffer.from(text.slice(0, cut).replace(/^>(>*From )/gm, '$1'), 'latin1'));
    done();
  }

  override _flush(done: TransformCallback): void {
    if (this.carry) this.push(Buffer.from(this.carry.replace(/^>(>*From )/gm, '$1'), 'latin1'));
    done();
  }
}
