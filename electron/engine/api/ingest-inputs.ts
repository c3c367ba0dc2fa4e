import { statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Paths typed in the UI, made usable and checked before an ingest starts: `~` is the user's home (as in a
 * shell), relative paths are refused (relative to what?), and a missing or unreadable path is named in
 * words instead of surfacing as `ENOENT … realpath`.
 */
export function resolveInputs(inputs: string[]): string[] {
  return inputs.map((raw) => {
    const p = raw.trim().replace(/^~(?=$|[\\/])/, os.homedir());
    if (!path.isAbsolute(p)) throw new Error(`not a full path: ${raw} (start with / or ~)`);
    try {
      statSync(p);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') throw new Error(`no such file or folder: ${p}`);
      if (code === 'EACCES' || code === 'EPERM') throw new Error(`not allowed to read: ${p}`);
      throw new Error(`cannot open ${p}: ${(err as Error).message}`);
    }
    return p;
  });
}

/** Why an ingest found nothing to read, in words, with the reason for each skipped file. */
export function noMailMessage(inputs: string[], skipped: { path: string; reason: string }[]): string {
  const where = inputs.length === 1 ? `${inputs[0]} holds no mail` : `these ${inputs.length} paths hold no mail`;
  if (skipped.length === 0) return `${where}: no files found.`;
  const shown = skipped.slice(0, 5).map((s) => `${path.basename(s.path)}: ${s.reason}`);
  return `${where}: ${skipped.length} file${skipped.length === 1 ? '' : 's'} skipped — ${shown.join('; ')}${skipped.length > 5 ? `; and ${skipped.length - 5} more` : ''}.`;
}
