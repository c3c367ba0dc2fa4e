import { unzipSync } from 'fflate';
import { ExtractError, LIMITS } from './types';

/**
 * The wanted entries of a zip-based document (OOXML, ODF, a zip attachment), bounded: at most
 * LIMITS.maxEntries entries, LIMITS.maxUnzippedBytes in total and LIMITS.maxRatio per entry, judged on the
 * sizes the zip declares before anything is inflated (fflate then refuses to inflate beyond them). A quine
 * or bomb therefore fails fast with `zip-bomb`, an encrypted entry with `encrypted`.
 */
export function readZip(bytes: Uint8Array, wanted: (name: string) => boolean): Map<string, Uint8Array> {
  let entries = 0;
  let total = 0;
  let encrypted = false;
  let out: Record<string, Uint8Array>;
  try {
    out = unzipSync(bytes, {
      filter(file) {
        if (++entries > LIMITS.maxEntries) throw new ExtractError('zip-bomb', `more than ${LIMITS.maxEntries} entries`);
        if (!wanted(file.name)) return false;
        if (file.compression !== 0 && file.compression !== 8) {
          // 99 = AES; other methods unsupported here.
          if (file.compression === 99) encrypted = true;
          return false;
        }
        const ratio = file.size > 0 ? file.originalSize / file.size : file.originalSize > 0 ? Infinity : 0;
        if (file.originalSize > 1024 * 1024 && ratio > LIMITS.maxRatio)
          throw new ExtractError('zip-bomb', `entry ${file.name} expands ${Math.round(ratio)}× (limit ${LIMITS.maxRatio}×)`);
        total += file.originalSize;
        if (total > LIMITS.maxUnzippedBytes) throw new ExtractError('zip-bomb', `more than ${LIMITS.maxUnzippedBytes / 1024 / 1024} MiB uncompressed`);
        return true;
      },
    });
  } catch (err) {
    if (err instanceof ExtractError) throw err;
    const msg = String((err as Error).message ?? err);
    if (/encrypt/i.test(msg)) throw new ExtractError('encrypted', 'the archive is encrypted');
    throw new ExtractError('zip-invalid', `not a readable zip: ${msg}`);
  }
  if (encrypted && Object.keys(out).length === 0) throw new ExtractError('encrypted', 'the archive entries are encrypted');
  return new Map(Object.entries(out));
}
