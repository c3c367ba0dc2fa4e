import path from 'node:path';
import { isWithin, resolveExisting } from '../ingest/evidence-guard';

/**
 * An export must never be written into the evidence. Refused: inside an evidence file's path (a Maildir),
 * in the very folder holding an evidence file, anywhere inside a folder of loose messages (eml, emlx,
 * Maildir: the folder is the evidence), and anywhere inside the folder a dump's sources share (two or
 * more sources below a folder at least two levels deep, e.g. `/media/leak/` holding per-person folders).
 */
/** Returns why `out` is inside the evidence, or null when it is not. */
export function evidenceAt(out: string, sources: { path: string; kind: string }[]): string | null {
  const target = resolveExisting(out);
  const dirs: string[] = [];
  for (const s of sources) {
    const src = resolveExisting(s.path);
    const dir = path.dirname(src);
    dirs.push(dir);
    if (isWithin(target, src) || path.dirname(target) === dir) return dir;
    if (s.kind !== 'mbox' && isWithin(target, dir)) return dir;
  }
  if (dirs.length >= 2) {
    const shared = dirs.reduce((a, b) => commonDir(a, b));
    if (shared.split(path.sep).filter(Boolean).length >= 2 && isWithin(target, shared)) return shared;
  }
  return null;
}

function commonDir(a: string, b: string): string {
  const x = a.split(path.sep);
  const y = b.split(path.sep);
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  return x.slice(0, i).join(path.sep) || path.sep;
}
