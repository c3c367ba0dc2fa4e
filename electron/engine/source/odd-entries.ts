import { promises as fs, type Stats } from 'node:fs';

/** An entry of the evidence that was not read, and why. `pathHex` holds the exact name bytes when they are not UTF-8. */
export interface SkippedEntry {
  path: string;
  pathHex?: string;
  reason: string;
}

/**
 * Classify a folder entry before reading it: a regular file or folder (followed through symbolic links)
 * comes back with its Stats; anything else comes back with the reason it is left alone. Never opens the
 * entry (opening a FIFO for reading blocks until a writer appears).
 */
export async function oddEntryReason(p: Buffer): Promise<{ reason: string | null; stat?: Stats; symlink?: boolean }> {
  if (!isUtf8Name(p)) {
    return { reason: 'name is not valid UTF-8 (exact bytes in pathHex); copy it under a UTF-8 name to ingest it' };
  }
  let st: Stats;
  try {
    st = await fs.lstat(p);
  } catch (err) {
    return { reason: `cannot be examined (${(err as NodeJS.ErrnoException).code})` };
  }
  const symlink = st.isSymbolicLink();
  if (symlink) {
    try {
      st = await fs.stat(p);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') return { reason: 'symbolic link loop (ELOOP)' };
      if (code === 'ENOENT') return { reason: `dangling symbolic link (target ${await linkTarget(p)} does not exist)` };
      return { reason: `symbolic link cannot be followed (${code})` };
    }
  }
  if (st.isDirectory() || st.isFile()) return { reason: null, stat: st, symlink };
  return { reason: `${specialKind(st)}: not a regular file, not read` };
}

/** Does this name (bytes) decode as UTF-8 and back unchanged? */
export function isUtf8Name(p: Buffer): boolean {
  return Buffer.from(p.toString('utf8'), 'utf8').equals(p);
}

function specialKind(st: Stats): string {
  if (st.isFIFO()) return 'named pipe (FIFO)';
  if (st.isSocket()) return 'socket';
  if (st.isCharacterDevice()) return 'character device';
  if (st.isBlockDevice()) return 'block device';
  return 'special file';
}

async function linkTarget(p: Buffer): Promise<string> {
  try {
    return JSON.stringify(await fs.readlink(p, 'utf8'));
  } catch {
    return '(unreadable)';
  }
}
