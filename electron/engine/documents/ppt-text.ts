import { LIMITS } from './types';

/**
 * Text of a legacy PowerPoint 97–2003 file: the TextCharsAtom (UTF-16) and TextBytesAtom (8-bit) records
 * of its `PowerPoint Document` stream ([MS-PPT]), in stream order. Hand-written because no kept npm
 * library reads .ppt text (the format's text lives in two fixed record types). Containers (record
 * version 0xF) are walked into; the master slides are skipped (their "Click to edit…" prompts are not the
 * author's text). A linear walk also meets the copies that fast-saves leave in the stream: a text block identical to one
 * already read is kept once.
 */
export function pptText(stream: Uint8Array): string {
  const b = Buffer.from(stream.buffer, stream.byteOffset, stream.byteLength);
  const out = new Set<string>();
  let chars = 0;
  let pos = 0;
  while (pos + 8 <= b.length && chars < LIMITS.maxTextChars) {
    const container = (b.readUInt16LE(pos) & 0x000f) === 0x000f;
    const type = b.readUInt16LE(pos + 2);
    const len = b.readUInt32LE(pos + 4);
    const body = pos + 8;
    if (container && type !== 0x03f8) {
      pos = body; // walk into the container (MainMaster 0x03F8 is stepped over below)
      continue;
    }
    const end = Math.min(body + len, b.length);
    let t = '';
    if (type === 0x0fa0) t = b.toString('utf16le', body, end - ((end - body) % 2)); // TextCharsAtom
    else if (type === 0x0fa8) t = b.toString('latin1', body, end); // TextBytesAtom
    if (t.trim()) {
      // PowerPoint ends paragraphs with CR and uses VT for line breaks inside one.
      t = t.replace(/[\r\v]/g, '\n');
      if (!out.has(t)) chars += t.length;
      out.add(t);
    }
    pos = body + len;
  }
  return [...out].join('\n');
}
