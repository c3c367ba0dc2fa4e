import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * The audit chain's head kept outside the database: `<case>/audit-head.log`, one JSON line
 * `{"entries":N,"hash":H,"at":T}` appended (O_APPEND, never rewritten) after each committed audit entry.
 * Deleting the newest rows, all rows, or editing a row and re-chaining the rest leaves a table whose
 * N-th entry no longer hashes to H: `verify` reports it. The same head goes into every export manifest.
 */
export const AUDIT_ANCHOR_FILE = 'audit-head.log';

export interface AnchorLine {
  entries: number;
  hash: string;
  at: string;
}

export function anchorPath(caseDir: string): string {
  return path.join(caseDir, AUDIT_ANCHOR_FILE);
}

export function appendAnchor(caseDir: string, entries: number, hash: string): void {
  const fd = openSync(anchorPath(caseDir), 'a');
  try {
    writeSync(fd, JSON.stringify({ entries, hash, at: new Date().toISOString() }) + '\n');
  } finally {
    closeSync(fd);
  }
}

/** The anchor's lines, null when the file does not exist; a malformed line is an error (the file was edited). */
export function readAnchor(caseDir: string): AnchorLine[] | null {
  const file = anchorPath(caseDir);
  if (!existsSync(file)) return null;
  const text = readFileSync(file, 'utf8');
  // A process killed mid-write can leave a last line without its newline: ignore only that one.
  return text.split('\n').slice(0, -1).map((l, i) => {
    const v = JSON.parse(l) as AnchorLine;
    if (!Number.isInteger(v.entries) || v.entries < 0 || !/^[0-9a-f]{64}$/.test(v.hash)) throw new Error(`line ${i + 1} is not an anchor record`);
    return v;
  });
}

export interface AnchorCheck {
  ok: boolean;
  reason: string | null;
  /** Entries covered by the newest anchor line. */
  anchored: number;
  /** Newer entries not anchored yet (the process ended between commit and anchor write): reported, not an error. */
  unanchored: number;
}

/** Compare the table (hashes in chain order) with every line of the anchor. */
export function checkAnchor(hashes: string[], lines: AnchorLine[] | null | Error): AnchorCheck {
  const fail = (reason: string, anchored = 0): AnchorCheck => ({ ok: false, reason, anchored, unanchored: 0 });
  if (lines instanceof Error) return fail(`${AUDIT_ANCHOR_FILE} is damaged or was edited (${lines.message})`);
  if (lines === null) {
    return hashes.length === 0
      ? { ok: true, reason: null, anchored: 0, unanchored: 0 }
      : fail(`${AUDIT_ANCHOR_FILE} is missing: it was deleted, or the case predates anchoring ("casefile audit <case> --anchor" starts one from the current head)`);
  }
  const newest = lines.at(-1);
  if (newest && newest.entries > hashes.length) {
    return fail(`the anchor recorded ${newest.entries} entries at ${newest.at}, the table holds ${hashes.length}: the newest ${newest.entries - hashes.length} entries were deleted`, newest.entries);
  }
  let previous = 0;
  for (const line of lines) {
    if (line.entries < previous) return fail(`${AUDIT_ANCHOR_FILE} goes backwards (${previous} then ${line.entries} entries): it was edited`, previous);
    previous = line.entries;
    const actual = line.entries === 0 ? null : hashes[line.entries - 1];
    if (line.entries > 0 && actual !== line.hash) {
      return fail(`entry #${line.entries} hashes to ${actual}, the anchor recorded ${line.hash} at ${line.at}: entries were edited, replaced or re-chained`, line.entries);
    }
  }
  return { ok: true, reason: null, anchored: previous, unanchored: hashes.length - previous };
}
