import path from 'node:path';

/** Maildir's own sub-folders: a message in alice/cur/… belongs to alice. */
const MAILDIR_PARTS = new Set(['cur', 'new', 'tmp']);
/** A shared folder this close to the file-system root (`/`, `/tmp`, `C:\x`) joins unrelated evidence sets. */
const MIN_ROOT_DEPTH = 2;

interface Src {
  i: number;
  kind: string;
  base: string;
  dir: string[];
}

/**
 * Mailbox (custodian) of each evidence file, from its path: leaks are laid out per person
 * (`dump/Alain Tourret/…/x.eml`, `dump/bob.mbox`). Below the folder a set of sources shares, a file inside a
 * sub-folder belongs to that first sub-folder; an mbox directly in the shared folder is a mailbox of its own
 * (its name without extension); a loose message file there belongs to the shared folder. Sources whose only
 * shared folder is near the file-system root are separate evidence sets, each read on its own.
 */
export function mailboxesOf(sources: { path: string; kind: string }[]): string[] {
  const out: string[] = new Array(sources.length);
  const all: Src[] = sources.map((s, i) => ({ i, kind: s.kind, base: path.basename(s.path), dir: trimMaildir(path.dirname(s.path)).split(path.sep) }));
  label(all, out);
  return out;
}

function label(set: Src[], out: string[]): void {
  let common = set[0]!.dir;
  for (const s of set) {
    let i = 0;
    while (i < common.length && i < s.dir.length && common[i] === s.dir[i]) i++;
    common = common.slice(0, i);
  }
  const depth = common.filter(Boolean).length;
  const below = new Map<string, Src[]>();
  for (const s of set) {
    const next = s.dir[common.length];
    if (next !== undefined) below.set(next, [...(below.get(next) ?? []), s]);
  }
  if (depth < MIN_ROOT_DEPTH && below.size > 1) {
    // Unrelated evidence sets (say /tmp/… and /work/…): each gets its own shared folder.
    for (const group of below.values()) label(group, out);
    for (const s of set) if (s.dir.length === common.length) out[s.i] = leafLabel(s, common);
    return;
  }
  for (const s of set) out[s.i] = s.dir.length > common.length ? s.dir[common.length]! : leafLabel(s, common);
}

function leafLabel(s: Src, dir: string[]): string {
  if (s.kind === 'mbox') return s.base.replace(/\.(mbox|mbx|txt)$/i, '') || s.base;
  return dir.at(-1) || path.sep;
}

function trimMaildir(dir: string): string {
  return MAILDIR_PARTS.has(path.basename(dir)) ? path.dirname(dir) : dir;
}
