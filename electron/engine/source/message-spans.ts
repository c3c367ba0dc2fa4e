import type { SourceKind } from '../../../shared/types';
import { splitMbox } from './mbox-splitter';
import type { PositionalReader } from './positional-reader';

/** Where one message's bytes are in a source, and where to resume once it is stored. */
export interface MessageSpan {
  offset: number;
  length: number;
  envelope: string | null;
  quotedFrom: boolean;
  next: number;
  /** The message's bytes when they are not a byte range of the source (an Outlook item re-encoded as .eml). */
  bytes?: Buffer;
  /** Problems met while producing them, stored with the message's errors. */
  notes?: { code: string; message: string }[];
}

/**
 * The messages of one source, in file order, starting at a resume point.
 * .eml is one message (the whole file); .emlx is "<byte count>\n<message><plist>" (Apple Mail); PST/OST and .msg
 * items are re-encoded as .eml (outlook/). `onProblem` hears about parts of a source that yield no message.
 */
export async function* messageSpans(
  reader: PositionalReader,
  kind: SourceKind,
  start: number,
  path = '',
  onProblem: (message: string) => void = () => {},
): AsyncGenerator<MessageSpan> {
  if (kind === 'pst' || kind === 'msg') {
    // Loaded when met: the Outlook readers' packages cost start-up time every other ingest would pay.
    const { outlookSpans } = await import('./outlook/outlook-spans');
    yield* outlookSpans(path, kind, start, onProblem);
    return;
  }
  if (kind === 'mbox') {
    for await (const e of splitMbox(reader, start)) {
      yield { offset: e.offset, length: e.length, envelope: e.envelope, quotedFrom: e.quotedFrom, next: e.next };
    }
    return;
  }
  if (start >= reader.size && reader.size > 0) return;
  if (kind === 'emlx') {
    yield await emlxSpan(reader);
    return;
  }
  yield { offset: 0, length: reader.size, envelope: null, quotedFrom: false, next: Math.max(1, reader.size) };
}

async function emlxSpan(reader: PositionalReader): Promise<MessageSpan> {
  const head = await reader.readAt(0, 32);
  const lf = head.indexOf(0x0a);
  const count = lf > 0 ? Number(head.toString('latin1', 0, lf).trim()) : NaN;
  const next = Math.max(1, reader.size);
  if (!Number.isInteger(count) || count < 0 || lf + 1 + count > reader.size) {
    // Not a well-formed emlx: keep every byte as one message so nothing is lost; the parser flags it.
    return { offset: 0, length: reader.size, envelope: null, quotedFrom: false, next };
  }
  return { offset: lf + 1, length: count, envelope: null, quotedFrom: false, next };
}
