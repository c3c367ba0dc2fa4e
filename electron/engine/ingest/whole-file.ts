import { statSync } from 'node:fs';
import type { ParsedRecord } from '../parse/parsed-record';
import type { SpanJob } from '../parse/parse-span';
import type { SourceRow } from '../store/source-registry';
import { changeSinceRegistered } from './evidence-change';
import type { PipelineEntry } from './pipeline-entry';

/**
 * A source that is one message from its first byte to its last (a .eml, a Maildir file) is not opened,
 * read or hashed on the main thread: the parse worker reads exactly bytes [0, size) and hashes them for
 * the message, and that SHA-256 is, byte for byte, the SHA-256 of the file. So one read and one hash per
 * file instead of two, and no file handle, 4 MiB window or extra stat on the main thread (the Maildir
 * cost, issue 15). Sources being resumed or re-read after they grew take the general path.
 */
export function isWholeFileSource(row: SourceRow, note: string | undefined): boolean {
  return row.kind === 'eml' && row.ingestedOffset === 0 && !note;
}

export function wholeFileEntry(row: SourceRow, extract: boolean): PipelineEntry {
  const span = { offset: 0, length: row.size, envelope: null, quotedFrom: false, next: Math.max(1, row.size) };
  return { kind: 'span', source: row, span, job: wholeFileJob(row.path, row.size, extract), wholeFile: true };
}

/** The parse job of a whole-file source: bytes [0, size) of the file (also asked for before registration, early-parse.ts). */
export function wholeFileJob(path: string, size: number, extract: boolean): SpanJob {
  return { path, offset: 0, length: size, quotedFrom: false, extract };
}

/**
 * How a whole-file source ends once its message is stored: done with the message's SHA-256 (and a warning
 * when the file changed after registration), or failed when the worker found fewer bytes than registered.
 * Called after the worker's read, so a change made while it read shows in the stat.
 */
export function wholeFileEnd(row: SourceRow, rec: Pick<ParsedRecord, 'sha256' | 'length'>): { sha256: string; notes: string[] } | { failed: string } {
  if (rec.length < row.size) {
    return { failed: `truncated while being read (ended at byte ${rec.length} of ${row.size}); the messages before that point are kept` };
  }
  let changed: string | null;
  try {
    changed = changeSinceRegistered(row, statSync(row.path));
  } catch (err) {
    changed = `no longer there after it was read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): the recorded SHA-256 is of the bytes read`;
  }
  return { sha256: rec.sha256, notes: changed ? [changed] : [] };
}
