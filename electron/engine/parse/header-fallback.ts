import { simpleParser, type HeaderValue } from 'mailparser';
import type { RawHeaders } from './raw-headers';

/** The fields the record takes from mailparser's structured headers (see buildRecord). */
const FIELDS = ['from', 'to', 'cc', 'bcc', 'reply-to', 'subject', 'message-id', 'in-reply-to', 'references'];

/**
 * When mailparser gives up before the top-level headers are out (mailsplit's 1 MiB header limit, e.g. a
 * 500,000-line header), the record's fields are parsed from the raw header lines that could be read
 * (raw-headers.ts reads the first 1 MiB), so the message keeps its sender, subject and Message-ID.
 */
export async function headersFromRaw(raw: RawHeaders): Promise<Map<string, HeaderValue>> {
  const block = FIELDS.flatMap((name) => (raw.values.get(name) ?? []).map((v) => `${name}: ${v}\r\n`)).join('');
  if (!block) return new Map();
  return (await simpleParser(Buffer.from(`${block}\r\n`), { skipTextToHtml: true })).headers;
}
