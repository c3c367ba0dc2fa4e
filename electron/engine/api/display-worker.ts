// Worker thread entry: re-parses one message for the reading pane, off the request thread. A message that
// crashes the parser (too large a string, too deep a structure) or hangs it costs this worker, not the server.
import { parentPort } from 'node:worker_threads';
import { simpleParser } from 'mailparser';
import type { MessageBody } from '../../../shared/types';
import { parserInput } from '../parse/parser-input';

export type DisplayRequest = { raw: Uint8Array; quotedFrom: boolean; maxTextChars: number; maxHeaderLines: number };
export type DisplayReply = { body: Omit<MessageBody, 'id'> } | { error: string };

/** Inline images larger than this are not embedded (they stay attachments). */
const INLINE_IMAGE_LIMIT = 5 * 1024 * 1024;
const INLINE_TOTAL_LIMIT = 32 * 1024 * 1024;

parentPort!.on('message', async (req: DisplayRequest) => {
  try {
    const raw = Buffer.from(req.raw.buffer, req.raw.byteOffset, req.raw.byteLength);
    const parsed = await simpleParser(parserInput(raw, req.quotedFrom), { skipTextToHtml: true, skipImageLinks: true, keepCidLinks: true });
    const notes: string[] = [];
    const cut = (s: string, what: string) => {
      if (s.length <= req.maxTextChars) return s;
      notes.push(`The ${what} has ${s.length.toLocaleString('en')} characters; the first ${req.maxTextChars.toLocaleString('en')} are shown (the raw source and exports have all of it).`);
      return s.slice(0, req.maxTextChars);
    };
    const inline: Record<string, string> = {};
    let inlineBytes = 0;
    for (const a of parsed.attachments) {
      if (a.cid && a.contentType.startsWith('image/') && a.size <= INLINE_IMAGE_LIMIT && (inlineBytes += a.size) <= INLINE_TOTAL_LIMIT) {
        inline[a.cid] = `data:${a.contentType.replace(/[^a-z0-9/+.-]/gi, '')};base64,${a.content.toString('base64')}`;
      }
    }
    if (parsed.headerLines.length > req.maxHeaderLines) notes.push(`${parsed.headerLines.length.toLocaleString('en')} header lines; the first ${req.maxHeaderLines.toLocaleString('en')} are shown.`);
    const body: Omit<MessageBody, 'id'> = {
      text: cut(parsed.text ?? '', 'text'),
      html: typeof parsed.html === 'string' ? cut(parsed.html, 'HTML') : null,
      inline,
      headers: parsed.headerLines.slice(0, req.maxHeaderLines).map((h) => {
        const colon = h.line.indexOf(':');
        return { name: h.line.slice(0, colon), value: h.line.slice(colon + 1).trim() };
      }),
      notes,
      parseError: null,
    };
    parentPort!.postMessage({ body } satisfies DisplayReply);
  } catch (err) {
    parentPort!.postMessage({ error: String((err as Error)?.message ?? err) } satisfies DisplayReply);
  }
});
