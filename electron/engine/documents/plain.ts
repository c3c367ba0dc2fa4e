import { convert } from 'html-to-text';
import iconv from 'iconv-lite';
import { type Extracted, LIMITS, TextSink } from './types';

/** Text, CSV and HTML: decoded (UTF-8 when valid, else Windows-1252), HTML converted without fetching anything. */
export function extractPlain(bytes: Uint8Array, kind: 'text' | 'csv' | 'html'): Extracted {
  const slice = bytes.subarray(0, LIMITS.maxTextChars * 2);
  let text = decode(slice);
  if (kind === 'html') {
    const charset = /<meta[^>]+charset=["']?([\w-]+)/i.exec(text)?.[1];
    if (charset && iconv.encodingExists(charset) && !/utf-?8/i.test(charset)) text = iconv.decode(Buffer.from(slice), charset);
    text = convert(text, { wordwrap: false, selectors: [{ selector: 'img', format: 'skip' }, { selector: 'a', options: { ignoreHref: true } }] });
  }
  const sink = new TextSink();
  sink.add(text);
  const truncated = sink.truncated || bytes.length > slice.length;
  return { type: kind, meta: {}, pages: sink.pages, errors: truncated ? [{ code: 'text-truncated', message: 'text truncated; the start is kept' }] : [] };
}

function decode(b: Uint8Array): string {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  if (buf[0] === 0xff && buf[1] === 0xfe) return buf.subarray(2).toString('utf16le');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf).replace(/^\uFEFF/, '');
  } catch {
    return iconv.decode(buf, 'win1252');
  }
}
