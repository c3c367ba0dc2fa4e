import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { SourceKind } from '../../../shared/types';
import { isZipDocument, sniffContainer } from './containers/formats';
import { openEvidence } from './positional-reader';

export interface DiscoveredSource {
  path: string;
  kind: SourceKind;
}

export interface Discovery {
  sources: DiscoveredSource[];
  /** Files inside given folders that are not mail (index files, .DS_Store, …), with the reason. */
  skipped: { path: string; reason: string }[];
}

const MBOX_EXT = new Set(['.mbox', '.mbx', '.mbs']);
const EML_EXT = new Set(['.eml', '.msg822', '.mime']);

/**
 * Expand the paths given on the command line into individual mail sources, recursively.
 * Maildir (cur/new/tmp, names with ':') needs no special case: every file in it is one message.
 * The kind is decided by content first (an mbox starts with "From "), then by extension.
 */
export async function discoverSources(inputs: string[]): Promise<Discovery> {
  const result: Discovery = { sources: [], skipped: [] };
  const seen = new Set<string>();
  for (const input of inputs) {
    const real = await fs.realpath(input);
    await visit(real, true, result, seen);
  }
  return result;
}

async function visit(p: string, explicit: boolean, out: Discovery, seen: Set<string>): Promise<void> {
  const st = await fs.stat(p);
  if (st.isDirectory()) {
    const entries = await fs.readdir(p);
    entries.sort();
    for (const name of entries) {
      await visit(path.join(p, name), false, out, seen);
    }
    return;
  }
  if (!st.isFile() || seen.has(p)) return;
  seen.add(p);
  const kind = await sniffKind(p, st.size, explicit);
  if (typeof kind === 'string') out.sources.push({ path: p, kind });
  else out.skipped.push({ path: p, reason: kind.reason });
}

async function sniffKind(p: string, size: number, explicit: boolean): Promise<SourceKind | { reason: string }> {
  const head = size === 0 ? Buffer.alloc(0) : await readHead(p, 4096);
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
  const text = head.toString('latin1').replace(/^\uFEFF|^\u00EF\u00BB\u00BF/, '');
  if (text.startsWith('From ')) return 'mbox';
  if (MBOX_EXT.has(ext)) return 'mbox';
  if (EML_EXT.has(ext) || explicit) return 'eml';
  // Inside a folder: accept files that start like a mail header block (Maildir names have no extension).
  if (/^[!-9;-~]+:/.test(text) || /^>?From /.test(text)) return 'eml';
  return { reason: 'does not look like a mail file (no header on its first line)' };
}

async function readHead(p: string, n: number): Promise<Buffer> {
  const handle = await openEvidence(p);
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await handle.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
