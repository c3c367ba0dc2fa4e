import { CONTAINER_FORMATS } from '../source/containers/formats';
import { EvidenceChangedError, PositionalReader } from '../source/positional-reader';
import type { SourceRegistry, SourceRow } from '../store/source-registry';
import type { FileStamp } from '../source/discover';

/**
 * A registered source whose size or mtime differs on disk. When it was fully ingested and its first
 * `size` bytes still hash to the recorded SHA-256, only bytes were appended (a mailbox that kept
 * receiving mail): it is reopened and the new bytes are read as new content. Anything else means the
 * bytes the stored locations point at may have changed: the source is not re-read.
 */
export async function recheckChanged(
  registry: SourceRegistry,
  row: SourceRow,
  st: FileStamp,
  reason: string,
): Promise<{ row: SourceRow; skip: string | null; note?: string }> {
  if (row.status !== 'done' || !row.sha256 || st.size < row.size) return { row, skip: reason };
  const prefix = await prefixSha256(row.path, row.size);
  if (prefix !== row.sha256) {
    return { row, skip: `changed on disk since it was ingested: its first ${row.size} bytes no longer match the recorded SHA-256 ${row.sha256}; not re-read` };
  }
  if (st.size === row.size) {
    registry.touch(row.id, st);
    return { row, skip: 'already ingested (only its modification time changed; SHA-256 re-checked)' };
  }
  if ((CONTAINER_FORMATS as readonly string[]).includes(row.kind)) {
    // Bytes appended to an archive are not new entries after the old ones: a zip's new central directory
    // may point its names at other bytes. The archive stored is the one hashed; this is another one.
    return { row, skip: `grew from ${row.size} to ${st.size} bytes since it was ingested (its first ${row.size} bytes are unchanged, SHA-256 re-checked): an archive with bytes appended is a different archive; not re-read (ingest the new version as a copy under another name)` };
  }
  const note = `grew from ${row.size} to ${st.size} bytes since it was ingested; its first ${row.size} bytes are unchanged (SHA-256 re-checked); the new bytes are ingested as new content`;
  return { row: registry.reopenGrown(row, st), skip: null, note };
}

async function prefixSha256(path: string, size: number): Promise<string | null> {
  try {
    const reader = await PositionalReader.open(path, undefined, size);
    try {
      return await reader.fileSha256();
    } finally {
      await reader.close();
    }
  } catch (err) {
    if (err instanceof EvidenceChangedError) return null;
    throw err;
  }
}

/** After reading a source: did it change while we read it? Returns a warning, or null. */
export async function changedWhileRead(reader: PositionalReader, row: SourceRow): Promise<string | null> {
  return changeSinceRegistered(row, await reader.currentStat());
}

/** How a source's size and mtime now differ from those it was registered with, as a warning (null: unchanged). */
export function changeSinceRegistered(row: SourceRow, now: { size: number; mtimeMs: number }): string | null {
  if (now.size > row.size) {
    return `grew during ingest (${row.size} → ${now.size} bytes): its first ${row.size} bytes were ingested; run ingest again to add the rest`;
  }
  if (now.size < row.size) return `truncated after it was read (${row.size} → ${now.size} bytes): the recorded SHA-256 is of the bytes read`;
  if (Math.trunc(now.mtimeMs) !== row.mtimeMs) return 'modified during ingest (its modification time changed, size unchanged): compare its SHA-256 with the recorded one';
  return null;
}
