import type { MessageSpan } from '../message-spans';
import { msgEml, pstItemEml, readWholeEvidence } from './outlook-original';
import { readMsg } from './msg-reader';
import { PstReader } from './pst-reader';

/**
 * The messages of a PST/OST or .msg source as spans whose bytes are the re-encoded .eml (see
 * outlook-original.ts). PST: `offset` is the item's node id, `next` its ordinal + 1 in the file's folder
 * order (the resume point); a folder that cannot be read is reported through `onProblem`, its readable
 * siblings still come. .msg: one span at offset 0. `bytes`, when given, are the file's bytes (an archive
 * entry held in memory); `path` then only names it in messages.
 */
export async function* outlookSpans(path: string, kind: 'pst' | 'msg', start: number, onProblem: (message: string) => void, bytes?: Buffer): AsyncGenerator<MessageSpan> {
  if (kind === 'msg') {
    if (start > 0) return;
    let eml: Buffer;
    let notes: MessageSpan['notes'] = [];
    try {
      const item = readMsg(bytes ?? (await readWholeEvidence(path)));
      eml = msgEml(item);
      notes = item.problems;
    } catch (err) {
      onProblem(`${path}: ${(err as Error).message}`);
      return;
    }
    yield { offset: 0, length: eml.length, envelope: null, quotedFrom: false, next: 1, bytes: eml, notes };
    return;
  }
  const reader = bytes ? PstReader.fromBuffer(bytes) : PstReader.open(path);
  try {
    let ordinal = 0;
    for (const e of reader.entries()) {
      if (e.nodeId < 0) {
        onProblem(`${path}: ${e.error}`);
        continue;
      }
      ordinal++;
      if (ordinal <= start) continue;
      const eml = pstItemEml(e.nodeId, e.folderPath, e.item);
      const notes = e.item ? e.item.problems : [{ code: 'outlook-item-unreadable', message: `PST item ${e.nodeId} in ${e.folderPath}: ${e.error}` }];
      yield { offset: e.nodeId, length: eml.length, envelope: null, quotedFrom: false, next: ordinal, bytes: eml, notes };
    }
  } finally {
    reader.close();
  }
}
