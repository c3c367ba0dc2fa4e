import libmime from 'libmime';
import type { OutlookAddress, OutlookAttachment, OutlookItem } from './outlook-item';
import { rtfToText } from './rtf-text';

/**
 * Re-encode an Outlook item as a MIME message (.eml), deterministically: the same item always gives the same
 * bytes, so the SHA-256 recorded at ingest can be checked again by re-encoding from the evidence.
 *
 * An Outlook item has no original MIME bytes. Casefile writes:
 * - the transport headers Outlook kept (Received, DKIM-Signature, Message-ID, Date, …) unchanged, minus the
 *   headers that describe the original body structure (Content-Type, Content-Transfer-Encoding, MIME-Version);
 *   without transport headers, From/To/Cc/Bcc/Subject/Date/Message-ID built from the item's properties;
 * - an `X-Casefile-Derived` header saying what these bytes are (it travels with every export);
 * - the bodies (text, HTML, or text read from RTF when RTF is the only body) and the attachments, every part
 *   base64 in UTF-8, CRLF line ends; an embedded item becomes a message/rfc822 part encoded the same way.
 * DKIM over these bytes will not verify the body (it was rebuilt); header signatures are still shown.
 */

export const ENCODER = 'casefile-outlook-eml/1';
const CRLF = '\r\n';
const STRUCTURE_HEADERS = /^(content-type|content-transfer-encoding|mime-version|content-length|x-casefile-[a-z-]*)$/i;

export function itemToEml(item: OutlookItem, provenance: string, depth = 0): Buffer {
  const lines = [...headerLines(item), `X-Casefile-Derived: ${foldAscii(`${ENCODER}; ${provenance}`)}`, 'MIME-Version: 1.0'];
  const body = bodyPart(item, depth);
  return Buffer.from([...lines, ...body].join(CRLF) + CRLF, 'utf8');
}

function headerLines(item: OutlookItem): string[] {
  const kept = transportHeaderLines(item.transportHeaders);
  if (kept.length > 0) return kept;
  const out: string[] = [];
  if (item.from) out.push(`From: ${addressList([item.from])}`);
  if (item.to.length) out.push(`To: ${addressList(item.to)}`);
  if (item.cc.length) out.push(`Cc: ${addressList(item.cc)}`);
  if (item.bcc.length) out.push(`Bcc: ${addressList(item.bcc)}`);
  out.push(`Subject: ${encodeText(item.subject)}`);
  if (item.date) out.push(`Date: ${rfc2822(item.date)}`);
  if (item.messageId) out.push(`Message-ID: ${item.messageId.trim()}`);
  if (item.inReplyTo) out.push(`In-Reply-To: ${item.inReplyTo.trim()}`);
  return out;
}

/** The transport headers as lines (folded continuations kept), without the ones about the body's structure. */
function transportHeaderLines(headers: string | null): string[] {
  if (!headers) return [];
  const out: string[] = [];
  let keep = false;
  let started = false;
  for (const line of headers.replace(/\0+$/, '').split(/\r?\n/)) {
    if (line === '') {
      if (started) break;
      continue;
    }
    if (/^[ \t]/.test(line)) {
      if (started && keep) out.push(line);
      continue;
    }
    const m = /^([!-9;-~]+):/.exec(line);
    // A line that is not a header field (e.g. "Microsoft Mail Internet Headers Version 2.0") is dropped.
    if (!m) continue;
    started = true;
    keep = !STRUCTURE_HEADERS.test(m[1]!);
    if (keep) out.push(line);
  }
  return out;
}

function bodyPart(item: OutlookItem, depth: number): string[] {
  const text = item.text ?? (item.html === null && item.rtf ? rtfToText(item.rtf) : null);
  const alternatives: string[][] = [];
  if (text !== null) alternatives.push(leaf('text/plain; charset=utf-8', Buffer.from(text, 'utf8')));
  if (item.html !== null) alternatives.push(leaf('text/html; charset=utf-8', Buffer.from(item.html, 'utf8')));
  if (alternatives.length === 0) alternatives.push(leaf('text/plain; charset=utf-8', Buffer.alloc(0)));
  const main = alternatives.length === 1 ? alternatives[0]! : multipart('alternative', alternatives, depth);
  if (item.attachments.length === 0) return main;
  return multipart('mixed', [main, ...item.attachments.map((a) => attachmentPart(a, depth))], depth);
}

function attachmentPart(a: OutlookAttachment, depth: number): string[] {
  const name = libmime.encodeWords(a.filename || 'attachment', 'Q', 52);
  const extra = [`Content-Disposition: attachment; filename="${name.replace(/"/g, "'")}"`];
  if (a.contentId) extra.push(`Content-ID: <${a.contentId.replace(/^<|>$/g, '')}>`);
  if (Buffer.isBuffer(a.content)) return leaf(`${a.contentType}; name="${name.replace(/"/g, "'")}"`, a.content, extra);
  // An embedded item is itself re-encoded (pure ASCII: every part base64), so it can go in 7bit.
  const inner = itemToEml(a.content, `embedded item "${a.filename}"`, depth + 1).toString('latin1').replace(/\r\n$/, '');
  return ['Content-Type: message/rfc822', 'Content-Transfer-Encoding: 7bit', ...extra, '', inner];
}

function leaf(contentType: string, content: Buffer, extra: string[] = []): string[] {
  const b64 = content.toString('base64').replace(/.{76}/g, `$&${CRLF}`).replace(/\r\n$/, '');
  return [`Content-Type: ${contentType}`, 'Content-Transfer-Encoding: base64', ...extra, '', b64];
}

/** Boundaries cannot occur in base64 (no "-" or "_"), and nesting depth keeps inner ones distinct. */
function multipart(subtype: string, parts: string[][], depth: number): string[] {
  const boundary = `=_casefile_${depth}_${subtype}`;
  const out = [`Content-Type: multipart/${subtype}; boundary="${boundary}"`, ''];
  for (const p of parts) out.push(`--${boundary}`, ...p);
  out.push(`--${boundary}--`);
  return out;
}

function addressList(list: OutlookAddress[]): string {
  return list
    .map((a) => {
      const addr = /^[^\s@<>]+@[^\s@<>]+$/.test(a.address) ? a.address : '';
      const name = a.name && a.name !== addr ? encodeText(a.name) : '';
      // Exchange-only (X.500) addresses are not mail addresses: keep the name with an empty address.
      if (!addr) return name ? `${quoteIfNeeded(name)} <>` : 'undisclosed-recipients:;';
      return name ? `${quoteIfNeeded(name)} <${addr}>` : addr;
    })
    .join(', ');
}

function quoteIfNeeded(name: string): string {
  return /^[\w !#$%&'*+\-/=?^`{|}~]*$/.test(name) || name.startsWith('=?') ? name : `"${name.replace(/["\\]/g, '\\$&')}"`;
}

function encodeText(s: string): string {
  return /^[\x20-\x7e]*$/.test(s) ? s : libmime.encodeWords(s, 'Q', 52);
}

function foldAscii(s: string): string {
  return encodeText(s);
}

function rfc2822(d: Date): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${d.getUTCDate()} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}
