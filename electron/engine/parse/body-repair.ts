import iconv from 'iconv-lite';
import type { RawHeaders } from './raw-headers';

/**
 * Legacy mail often declares UTF-8 / US-ASCII (or nothing) but carries Windows-1252 bytes. For a single
 * text/plain part we can re-decode the original bytes; returns null when the message is not that case.
 * (Multipart bodies keep mailparser's text and the `charset-invalid` flag.)
 */
export function repairMislabeledBody(raw: Buffer, headers: RawHeaders): string | null {
  if (headers.bodyOffset < 0) return null;
  const type = (headers.values.get('content-type')?.[0] ?? 'text/plain').toLowerCase();
  if (!type.startsWith('text/plain')) return null;
  const charset = /charset\s*=\s*"?([^";\s]+)/.exec(type)?.[1] ?? 'us-ascii';
  if (!['utf-8', 'utf8', 'us-ascii', 'ascii'].includes(charset)) return null;
  const cte = (headers.values.get('content-transfer-encoding')?.[0] ?? '').toLowerCase().trim();
  const body = raw.subarray(headers.bodyOffset);
  let bytes: Buffer;
  if (cte === 'quoted-printable') bytes = decodeQuotedPrintable(body.toString('latin1'));
  else if (cte === 'base64') bytes = Buffer.from(body.toString('latin1'), 'base64');
  else bytes = body;
  if (!bytes.toString('utf8').includes('\uFFFD')) return null;
  return iconv.decode(bytes, 'windows-1252');
}

function decodeQuotedPrintable(text: string): Buffer {
  const joined = text.replace(/=\r?\n/g, '');
  const out: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const c = joined.charCodeAt(i);
    if (c === 0x3d && /^[0-9a-fA-F]{2}$/.test(joined.slice(i + 1, i + 3))) {
      out.push(parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(c & 0xff);
  }
  return Buffer.from(out);
}
