/**
 * An Outlook item (from a PST/OST or a .msg file) as Casefile reads it, before it is re-encoded as MIME.
 * Outlook stores properties, not a MIME message: this is the common shape of both readers.
 */

export interface OutlookAddress {
  name: string;
  address: string;
}

export interface OutlookAttachment {
  filename: string;
  contentType: string;
  contentId: string | null;
  /** The attachment's bytes, or an embedded Outlook item (an attached .msg). */
  content: Buffer | OutlookItem;
}

export interface OutlookItem {
  messageClass: string;
  /** PR_TRANSPORT_MESSAGE_HEADERS: the Internet headers as received, when Outlook kept them. */
  transportHeaders: string | null;
  subject: string;
  from: OutlookAddress | null;
  to: OutlookAddress[];
  cc: OutlookAddress[];
  bcc: OutlookAddress[];
  /** Submit time (sent), else delivery time. */
  date: Date | null;
  messageId: string | null;
  inReplyTo: string | null;
  text: string | null;
  html: string | null;
  /** Decompressed RTF body, used only when the item has neither text nor HTML. */
  rtf: string | null;
  attachments: OutlookAttachment[];
  /** Problems met while reading (a part left out, an unreadable embedded item): kept with the message. */
  problems: { code: string; message: string }[];
}

/** Attachments larger than this are left out of the re-encoding (recorded as a problem): bounds memory per item. */
export const MAX_ATTACHMENT_BYTES = 64 * 1024 * 1024;
/** Embedded items nest at most this deep (an attached .msg holding an attached .msg …). */
export const MAX_EMBED_DEPTH = 8;

export function cleanAddress(name: string | null | undefined, address: string | null | undefined): OutlookAddress | null {
  const n = (name ?? '').replace(/\0+$/, '').trim();
  const a = (address ?? '').replace(/\0+$/, '').trim();
  if (!n && !a) return null;
  return { name: n, address: a };
}
