import type { MessageBody } from '../../../shared/types';
import { readOriginalPrefix } from '../store/original-bytes';
import type { CaseQueries } from '../store/case-queries';
import { DisplayParser } from './display-parser';
import { displayLimits } from './display-limits';
import { rawHeaderLines } from './raw-header-lines';

const parser = new DisplayParser();
const MiB = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;

/**
 * Re-parse a message from the evidence for display: text, the (untrusted) HTML, inline images, headers.
 * The parse runs in a worker with limits (bytes parsed, characters returned, time); whatever exceeds a
 * limit is cut with a note. When the parse fails, the headers are read from the raw bytes and the failure
 * is returned as `parseError`: the viewer still shows headers, raw source, tags and notes.
 */
export async function messageBody(q: CaseQueries, id: number): Promise<MessageBody | null> {
  const loc = q.firstLocation(id);
  if (!loc) return null;
  const limits = displayLimits();
  const raw = await readOriginalPrefix(loc, limits.maxParseBytes);
  const notes: string[] = [];
  if (loc.length > limits.maxParseBytes) notes.push(`This message is ${MiB(loc.length)}; the first ${MiB(limits.maxParseBytes)} were parsed for display (the raw source and exports have all of it).`);
  try {
    // A fresh copy is transferred to the worker (a Buffer may share its memory with others).
    const body = await parser.parse({ raw: new Uint8Array(raw), quotedFrom: loc.quotedFrom, maxTextChars: limits.maxTextChars, maxHeaderLines: limits.maxHeaderLines }, limits.timeoutMs);
    return { id, ...body, notes: [...notes, ...(body.notes ?? [])] };
  } catch (err) {
    const { headers, more } = rawHeaderLines(raw, limits.maxHeaderLines);
    if (more) notes.push(`${more.toLocaleString('en')} more header lines not shown.`);
    return { id, text: '', html: null, inline: {}, headers, notes, parseError: `This message could not be parsed for display: ${(err as Error).message}. Headers are shown from the raw bytes.` };
  }
}
