import { promises as fs, type Dirent } from 'node:fs';
import path from 'node:path';
import type { SourceKind } from '../../../shared/types';
import { isZipDocument, sniffContainer } from './containers/formats';
import { isUtf8Name, oddEntryReason, type SkippedEntry } from './odd-entries';
import { outlookFormatOf } from './outlook/outlook-format';
import { readEvidenceHead } from './positional-reader';
import { HEAD_BYTES, readRegularFileHead } from './regular-file-head';

export interface DiscoveredSource {
  path: string;
  kind: SourceKind;
  /** Size and modification time when discovered (registration records them: no second stat per file). */
  stamp: FileStamp;
}

/** What registration records of a file, and compares later to tell whether it changed. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
}

export interface Discovery {
  sources: DiscoveredSource[];
  /**
   * Entries that were not read, with the reason: files that are not mail (index files, .DS_Store, …) and
   * odd entries (symlink loops, dangling links, FIFOs, unreadable files or folders, non-UTF-8 names).
   */
  skipped: SkippedEntry[];
}

const MBOX_EXT = new Set(['.mbox', '.mbx', '.mbs']);
const EML_EXT = new Set(['.eml', '.msg822', '.mime']);

/**
 * Expand the paths given on the command line into individual mail sources, recursively.
 * Maildir (cur/new/tmp, names with ':') needs no special case: every file in it is one message.
 * The kind is decided by content first (an mbox starts with "From "), then by extension.
 * One odd entry never stops the walk: it is reported in `skipped` and the rest is discovered.
 * An explicit input that does not exist at all is an error (most likely a typo).
 */
export async function discoverSources(inputs: string[], onSource?: (source: DiscoveredSource) => void): Promise<Discovery> {
  const result: Discovery = { sources: [], skipped: [] };
  const walk: Walk = { out: result, seenFiles: new Set(), seenDirs: new Set(), onSource };
  for (const input of inputs) {
    await fs.lstat(input); // ENOENT here is the user's typo: reported as an error, not a skip
    await visit(Buffer.from(path.resolve(input)), true, walk, null);
  }
  return result;
}

interface Walk {
  out: Discovery;
  /** Real paths of files already taken (a file reached through several links is read once). */
  seenFiles: Set<string>;
  /** dev:inode of folders entered (a symlink cycle is entered once). */
  seenDirs: Set<string>;
  /** Told of each source as it is found, in the order of `sources` (the ingest starts parsing during the walk). */
  onSource?: (source: DiscoveredSource) => void;
}

/**
 * Entries of a folder examined at once (lstat, realpath, first bytes): a Maildir holds one file per
 * message, and one file system round trip after another cost ≈0.2–0.8 ms per file before ingest could
 * start (issue 15). Results are still applied one by one in name order, so the outcome is the same.
 */
const EXAMINE_AHEAD = 32;

/** What one entry is, found without touching the walk's shared state (so entries can be examined in parallel). */
type Examined =
  | { skip: string }
  | { dir: { key: string } }
  | { file: { real: string; kind: SourceKind | { reason: string }; stamp: FileStamp } };

/** Paths travel as bytes so that a name that is not UTF-8 is reported exactly, never mangled. */
async function visit(p: Buffer, explicit: boolean, walk: Walk, realDir: string | null): Promise<void> {
  await apply(p, await examine(p, explicit, realDir), walk);
}

/**
 * Never rejects: every problem is a reason to skip the entry. `realDir` is the real path of the folder
 * the entry is in: an entry that is not a symbolic link is then that folder's real path plus its name,
 * with no realpath call per file (a Maildir holds one file per message).
 */
async function examine(p: Buffer, explicit: boolean, realDir: string | null): Promise<Examined> {
  const odd = await oddEntryReason(p);
  if (odd.reason) return { skip: odd.reason };
  const st = odd.stat!;
  if (st.isDirectory()) return { dir: { key: `${st.dev}:${st.ino}` } };
  let real: string;
  try {
    real = realDir !== null && !odd.symlink ? path.join(realDir, path.basename(p.toString('utf8'))) : await fs.realpath(p.toString('utf8'));
  } catch (err) {
    return { skip: `cannot be resolved (${(err as NodeJS.ErrnoException).code})` };
  }
  try {
    return { file: { real, kind: await sniffKind(real, st.size, explicit), stamp: { size: st.size, mtimeMs: st.mtimeMs } } };
  } catch (err) {
    return { skip: `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
  }
}

/** A regular file as listed (not a link) in a resolved folder; null: examine it the general way. */
function examineListedFile(p: Buffer, realDir: string): Examined | null {
  if (!isUtf8Name(p)) return null;
  const name = p.toString('utf8');
  const found = readRegularFileHead(name);
  if (!found) return null;
  const real = path.join(realDir, path.basename(name));
  return { file: { real, kind: kindFromHead(real, found.head, found.size, false), stamp: { size: found.size, mtimeMs: found.mtimeMs } } };
}

async function apply(p: Buffer, found: Examined, walk: Walk): Promise<void> {
  const skip = (reason: string) => walk.out.skipped.push(skippedEntry(p, reason));
  if ('skip' in found) return void skip(found.skip);
  if ('dir' in found) {
    if (walk.seenDirs.has(found.dir.key)) return void skip('folder already visited (symbolic link cycle); not read twice');
    walk.seenDirs.add(found.dir.key);
    let listed: Dirent<Buffer>[];
    try {
      listed = await fs.readdir(p, { encoding: 'buffer', withFileTypes: true });
    } catch (err) {
      return void skip(`folder cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    // Resolved once for all its entries (null: each entry is resolved on its own, as before).
    const realDir = await fs.realpath(p.toString('utf8')).catch(() => null);
    listed.sort((a, b) => Buffer.compare(a.name, b.name));
    const paths = listed.map((d) => Buffer.concat([p, Buffer.from(path.sep), d.name]));
    // Entries the listing calls regular files are examined directly when their turn comes (null here);
    // the others (folders, links, special or unknown types) ahead of time, asynchronously.
    const ahead: (Promise<Examined> | null)[] = [];
    for (let i = 0; i < paths.length; i++) {
      for (let j = ahead.length; j < Math.min(paths.length, i + EXAMINE_AHEAD); j++) {
        ahead.push(realDir !== null && listed[j]!.isFile() ? null : examine(paths[j]!, false, realDir));
      }
      const entry = (await ahead[i]) ?? examineListedFile(paths[i]!, realDir!) ?? (await examine(paths[i]!, false, realDir));
      delete ahead[i];
      await apply(paths[i]!, entry, walk);
    }
    return;
  }
  const { real, kind, stamp } = found.file;
  // A file reached through several links is read once (the first in walk order).
  if (walk.seenFiles.has(real)) return;
  walk.seenFiles.add(real);
  if (typeof kind !== 'string') return void skip(kind.reason);
  const source = { path: real, kind, stamp };
  walk.out.sources.push(source);
  walk.onSource?.(source);
}

function skippedEntry(p: Buffer, reason: string): SkippedEntry {
  const display = p.toString('utf8');
  const exact = Buffer.from(display, 'utf8').equals(p);
  return exact ? { path: display, reason } : { path: display, pathHex: p.toString('hex'), reason };
}

async function sniffKind(p: string, size: number, explicit: boolean): Promise<SourceKind | { reason: string }> {
  const head = size === 0 ? Buffer.alloc(0) : await readEvidenceHead(p, HEAD_BYTES);
  return kindFromHead(p, head, size, explicit);
}

/**
 * What a file is, from its name and first bytes: an archive (by its magic bytes), a mail file, or not
 * mail (with the reason). Also used for files found inside archives.
 */
export function kindFromHead(name: string, head: Buffer, size: number, explicit: boolean): SourceKind | { reason: string } {
  const ext = path.extname(name).toLowerCase();
  if (ext === '.emlx') return 'emlx';
  if (size === 0) return explicit || EML_EXT.has(ext) ? 'eml' : { reason: 'empty file' };
  const archive = sniffContainer(head);
  if (archive && !(archive === 'zip' && isZipDocument(name, head))) return archive;
  // Outlook: a PST/OST by its signature; a .msg is an OLE compound file named .msg (other OLE files are documents).
  const outlook = outlookFormatOf(head);
  if (outlook === 'pst' || (outlook === 'msg' && ext === '.msg')) return outlook;
  const text = head.toString('latin1').replace(/^\uFEFF|^\u00EF\u00BB\u00BF/, '');
  if (text.startsWith('From ')) return 'mbox';
  if (MBOX_EXT.has(ext)) return 'mbox';
  if (EML_EXT.has(ext) || explicit) return 'eml';
  // Inside a folder: accept files that start like a mail header block (Maildir names have no extension).
  if (/^[!-9;-~]+:/.test(text) || /^>?From /.test(text)) return 'eml';
  return { reason: 'does not look like a mail file (no header on its first line)' };
}

