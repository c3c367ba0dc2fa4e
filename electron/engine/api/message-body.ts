import { simpleParser } from 'mailparser';
import type { MessageBody } from '../../../shared/types';
import { parserInput } from '../parse/parser-input';
import type { CaseQueries } from '../store/case-queries';
import { readOriginalBytes } from '../store/original-bytes';

const INLINE_IMAGE_LIMIT = 5 * 1024 * 1024;

/** Re-parse a message from the evidence for display: text, the (untrusted) HTML, inline images, headers. */
export async function messageBody(q: CaseQueries, id: number): Promise<MessageBody | null> {
  const loc = q.firstLocation(id);
  if (!loc) return null;
  const raw = await readOriginalBytes(loc);
  const parsed = await simpleParser(parserInput(raw, loc.quotedFrom), { skipTextToHtml: true, skipImageLinks: true, keepCidLinks: true });
  const inline: Record<string, string> = {};
  for (const a of parsed.attachments) {
    if (a.cid && a.contentType.startsWith('image/') && a.size <= INLINE_IMAGE_LIMIT) {
      inline[a.cid] = `data:${a.contentType.replace(/[^a-z0-9/+.-]/gi, '')};base64,${a.content.toString('base64')}`;
    }
  }
  return {
    id,
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : null,
    inline,
    headers: parsed.headerLines.map((h) => {
      const colon = h.line.indexOf(':');
      return { name: h.line.slice(0, colon), value: h.line.slice(colon + 1).trim() };
    }),
  };
}
