import type { AttachmentContent } from '../../../shared/types';
import { attachmentContents } from '../parse/attachment-content';
import type { CaseQueries } from '../store/case-queries';
import { readVerifiedOriginal } from '../store/original-bytes';
import { ApiFailure } from './validate';

const MAX_BYTES = 64 * 1024 * 1024;

/**
 * One attachment, decoded from the message's original bytes, refused unless it hashes to the SHA-256
 * recorded at ingest (what the investigator saves is exactly what was listed).
 */
export async function attachmentBytes(q: CaseQueries, id: number, index: number): Promise<AttachmentContent | null> {
  const meta = q.attachments(id).find((a) => a.index === index);
  if (!meta) return null;
  if (meta.size > MAX_BYTES) throw new ApiFailure({ code: 'bad-request', message: `attachment is ${meta.size} bytes; over ${MAX_BYTES} use "casefile export --attachments"` });
  const { bytes, location } = await readVerifiedOriginal(q, id);
  const [part] = await attachmentContents(bytes, location.quotedFrom, (i) => i === index);
  if (!part || part.sha256 !== meta.sha256) throw new ApiFailure({ code: 'internal', message: `attachment ${index} of message ${id} no longer decodes to its recorded SHA-256` });
  return { index, filename: meta.filename, contentType: meta.contentType, sniffedType: meta.sniffedType, size: meta.size, sha256: meta.sha256, base64: part.content.toString('base64') };
}
