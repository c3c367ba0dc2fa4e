import type { Address, AnomalyFlag, ArcVerdict, AttachmentInfo, DkimVerdict, MessageJson } from '../../../shared/types';

/** One exported message as the manifest, messages.json and messages.csv describe it. */
export interface ExportRecord {
  id: number;
  messageId: string | null;
  /** SHA-256 of the message's original bytes, as ingested. */
  sha256: string;
  date: string | null;
  dateHeader: string | null;
  from: Address[];
  to: Address[];
  cc: Address[];
  subject: string | null;
  tags: string[];
  note: string | null;
  /** Where the original bytes are in the evidence. */
  source: { path: string; offset: number; length: number; sourceSha256: string | null };
  attachments: (Pick<AttachmentInfo, 'index' | 'filename' | 'contentType' | 'sniffedType' | 'typeMismatch' | 'size' | 'sha256'> & { file?: string })[];
  /** Offline authenticity verdicts at export time (null if the pass has not run). */
  auth: { dkim: DkimVerdict[]; arc: ArcVerdict; flags: AnomalyFlag[] } | null;
  /** The .eml file holding the original bytes (eml format). */
  file?: string;
  /** Where the message sits in messages.mbox (mbox format): `length` bytes from `offset`, mboxrd-quoted when `quoted`. */
  mbox?: { offset: number; length: number; quoted: boolean; appendedNewline: boolean };
}

export function exportRecord(m: MessageJson, location: { path: string; offset: number; length: number }, sourceSha256: string | null): ExportRecord {
  return {
    id: m.id,
    messageId: m.messageId,
    sha256: m.sha256,
    date: m.date,
    dateHeader: m.dateHeader,
    from: m.from,
    to: m.to,
    cc: m.cc,
    subject: m.subject,
    tags: m.tags,
    note: m.note,
    auth: m.auth ? { dkim: m.auth.dkim, arc: m.auth.arc, flags: m.auth.flags } : null,
    source: { path: location.path, offset: location.offset, length: location.length, sourceSha256 },
    attachments: m.attachments.map((a) => ({
      index: a.index,
      filename: a.filename,
      contentType: a.contentType,
      sniffedType: a.sniffedType,
      typeMismatch: a.typeMismatch,
      size: a.size,
      sha256: a.sha256,
    })),
  };
}
