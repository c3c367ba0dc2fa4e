import { createHash } from 'node:crypto';
import { readSpan } from '../parse/parse-span';
import { readEntrySpan } from '../source/containers/reread';
import { EvidenceChangedError } from '../source/positional-reader';
import { outlookFormatOf, type OutlookFormat } from '../source/outlook/outlook-format';
import { outlookFormatOfFile, readOutlookOriginal } from '../source/outlook/outlook-original';
import type { Location, SourceKind } from '../../../shared/types';
import type { CaseQueries } from './case-queries';

/** A location, with its source's kind when known (locations from the case store carry it). */
type ReadableLocation = Location & { kind?: SourceKind };

/**
 * The exact original bytes of a message location, read back from the evidence. For an Outlook item (PST/OST
 * item or .msg file, on disk or inside an archive) these are the item re-encoded as .eml from the evidence
 * (see outlook-original.ts).
 */
export async function readOriginalBytes(loc: ReadableLocation): Promise<Buffer> {
  const outlook = await outlookFormatOfLocation(loc);
  if (loc.container) {
    const { path, entry } = loc.container;
    if (outlook) return readOutlookOriginal(outlook, loc.path, loc.offset, () => readOutlookEntry(path, entry));
    return readEntrySpan(path, entry, loc.offset, loc.length);
  }
  if (outlook) return readOutlookOriginal(outlook, loc.path, loc.offset);
  return readSpan(loc.path, loc.offset, loc.length);
}

/** The first `max` bytes of a location's original bytes (Outlook items are re-encoded whole, then cut). */
export async function readOriginalPrefix(loc: ReadableLocation, max: number): Promise<Buffer> {
  if (loc.container || (await outlookFormatOfLocation(loc))) return (await readOriginalBytes(loc)).subarray(0, max);
  return readSpan(loc.path, loc.offset, Math.min(loc.length, max));
}

/** Whether a location is an Outlook item: by its source's kind, else (a bare file) by the file's first bytes. */
async function outlookFormatOfLocation(loc: ReadableLocation): Promise<OutlookFormat | null> {
  if (loc.kind !== undefined) return loc.kind === 'pst' || loc.kind === 'msg' ? loc.kind : null;
  if (!loc.container) return outlookFormatOfFile(loc.path);
  // A public location (no kind) inside an archive: only Outlook items carry a derivation; the entry's first bytes say which.
  return loc.derivation ? outlookFormatOf(await readEntrySpan(loc.container.path, loc.container.entry, 0, 8)) : null;
}

/** A PST or .msg inside an archive is re-read whole into memory (bounded) to re-encode one of its items. */
async function readOutlookEntry(file: string, chain: string[]): Promise<Buffer> {
  const bytes = await readEntrySpan(file, chain, 0, MAX_OUTLOOK_ENTRY_BYTES + 1);
  if (bytes.length > MAX_OUTLOOK_ENTRY_BYTES) {
    throw new EvidenceChangedError(`${[file, ...chain].join(' → ')}: an Outlook file inside an archive larger than ${MAX_OUTLOOK_ENTRY_BYTES / 1048576} MiB cannot be re-read in memory; extract it and ingest it directly`);
  }
  return bytes;
}

const MAX_OUTLOOK_ENTRY_BYTES = 512 * 1024 * 1024;

/**
 * A message's original bytes, proven: read from the first location whose bytes still hash to the
 * recorded SHA-256. Throws EvidenceChangedError (naming every location tried) when none does — an export
 * must never carry bytes that differ from what was ingested.
 */
export async function readVerifiedOriginal(q: CaseQueries, id: number) {
  const tried: string[] = [];
  for (const loc of q.sourceLocations(id)) {
    try {
      const bytes = await readOriginalBytes(loc);
      if (createHash('sha256').update(bytes).digest('hex') === loc.sha256) return { bytes, location: loc };
      tried.push(`${loc.path} @ ${loc.offset}: bytes differ from SHA-256 ${loc.sha256}`);
    } catch (err) {
      tried.push(`${loc.path} @ ${loc.offset}: ${(err as Error).message}`);
    }
  }
  throw new EvidenceChangedError(`message ${id}: evidence changed or missing (${tried.join('; ')})`);
}
