import { createHash } from 'node:crypto';
import { MailParser } from 'mailparser';
import { parserInput } from './parser-input';
import { MAILPARSER_OPTIONS } from './parse-message';

export interface AttachmentContent {
  index: number;
  filename: string | null;
  contentType: string;
  content: Buffer;
  sha256: string;
}

/**
 * The decoded bytes of a message's attachments, in the order and with the numbering ingest gave them
 * (same parser, same options). `raw` is the message's original bytes; `wanted` limits which are kept
 * in memory (the others are still read, to keep the numbering).
 */
export function attachmentContents(raw: Buffer, quotedFrom: boolean, wanted?: (index: number) => boolean): Promise<AttachmentContent[]> {
  return new Promise((resolve, reject) => {
    const parser = new MailParser(MAILPARSER_OPTIONS);
    const out: Promise<AttachmentContent | null>[] = [];
    parser.on('data', (data: any) => {
      if (data.type !== 'attachment') return;
      const index = out.length;
      out.push(
        new Promise((done, fail) => {
          const chunks: Buffer[] = [];
          const hash = createHash('sha256');
          const keep = wanted ? wanted(index) : true;
          data.content.on('data', (c: Buffer) => {
            hash.update(c);
            if (keep) chunks.push(c);
          });
          data.content.on('error', fail);
          data.content.on('end', () => {
            data.release?.();
            const filename = data.filename ? String(data.filename) : null;
            const contentType = String(data.contentType || 'application/octet-stream').toLowerCase();
            done(keep ? { index, filename, contentType, content: Buffer.concat(chunks), sha256: hash.digest('hex') } : null);
          });
        }),
      );
    });
    parser.once('error', reject);
    parser.once('end', () => {
      Promise.all(out)
        .then((all) => resolve(all.filter((a): a is AttachmentContent => a !== null)))
        .catch(reject);
    });
    parser.end(parserInput(raw, quotedFrom));
  });
}
