import type { WireDocument } from '../documents/wire';
import type { Address, AttachmentInfo, AuthReport, ParseIssue } from '../../../shared/types';

/** An attachment as the parser digests it (its index is its position in the list). */
export type ParsedAttachment = Omit<AttachmentInfo, 'index'>;

/** What a parse worker sends back for one message (never the raw bytes). */
export interface ParsedRecord {
  /** SHA-256 of the exact original bytes at (offset, length). */
  sha256: string;
  length: number;
  messageId: string | null;
  /** Epoch milliseconds, UTC. */
  dateMs: number | null;
  dateHeader: string | null;
  tzOffsetMinutes: number | null;
  from: Address[];
  to: Address[];
  cc: Address[];
  bcc: Address[];
  replyTo: Address[];
  subject: string | null;
  inReplyTo: string | null;
  references: string[];
  /** Plain text of the body (HTML converted to text when there is no text part), deflate-compressed. */
  textDeflated: Uint8Array;
  preview: string;
  hasHtml: boolean;
  /** SHA-256 over the normalized body text and attachment hashes: the "same content" dedup key. */
  bodyKey: string;
  attachments: ParsedAttachment[];
  errors: ParseIssue[];
  /** Attachments extracted as documents (with their embedded files), when extraction is on. */
  documents?: WireDocument[];
  /**
   * The authenticity report, when it needs no key (an unsigned message with a Date): computed by the parse
   * worker from the bytes it holds (auth/unsigned-report.ts). Absent otherwise: the pass after ingest does it.
   */
  auth?: AuthReport;
}
