import { createHash } from 'node:crypto';
import { readSpan } from '../parse/parse-span';
import { readEntrySpan } from '../source/containers/reread';
import { EvidenceChangedError } from '../source/positional-reader';
import { outlookFormatOfFile, readOutlookOriginal } from '../source/outlook/outlook-original';
import type { Location } from '../../../shared/types';
import type { CaseQueries } from './case-queries';

/**
 * The exact original bytes of a message location, read back from the evidence. For an Outlook item (PST/OST
 * item or .msg file) these are the item re-encoded as .eml from the evidence (see outlook-original.ts).
 */
export async function readOriginalBytes(loc: Location): Promise<Buffer> {
  if (loc.container) return readEntrySpan(loc.container.path, loc.container.entry, loc.offset, loc.length);
  const outlook = await outlookFormatOfFile(loc.path);
  if (outlook) return readOutlookOriginal(outlook, loc.path, loc.offset);
  return readSpan(loc.path, loc.offset, loc.length);
}

/** The first `max` bytes of a location's original bytes (Outlook items are re-encoded whole, then cut). */
export async function readOriginalPrefix(loc: Location, max: number): Promise<Buffer> {
  if (await outlookFormatOfFile(loc.path)) return (await readOriginalBytes(loc)).subarray(0, max);
  return readSpan(loc.path, loc.offset, Math.min(loc.length, max));
}

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
