import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';

/**
 * Read access to an export, folder or .zip, that enumerates *everything* in it: regular files, folders,
 * and whatever else is there (symbolic links, FIFOs, zip directory entries carrying data, duplicate zip
 * entries, a zip comment), so verify can reject what the manifest does not account for.
 */
export interface ExportTree {
  /** Regular files (zip: file entries), forward-slash relative paths, sorted. */
  files: string[];
  /** Folders (zip: empty directory entries): accounted for only when a listed file lies inside. */
  dirs: string[];
  /** Entries that can never be part of an export, with what they are. */
  odd: { path: string; reason: string }[];
  read(rel: string): Promise<Buffer>;
  sha256(rel: string): Promise<string>;
  close(): void;
}

export async function folderTree(root: string): Promise<ExportTree> {
  const files: string[] = [];
  const dirs: string[] = [];
  const odd: { path: string; reason: string }[] = [];
  // lstat semantics (Dirent types): a symbolic link is reported, never followed; nothing but files is opened.
  for (const e of await readdir(root, { recursive: true, withFileTypes: true })) {
    const rel = path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/');
    if (e.isFile()) files.push(rel);
    else if (e.isDirectory()) dirs.push(rel);
    else odd.push({ path: rel, reason: e.isSymbolicLink() ? 'symbolic link' : 'not a regular file (FIFO, socket or device)' });
  }
  const abs = (rel: string) => path.join(root, ...rel.split('/'));
  return {
    files: files.sort(),
    dirs: dirs.sort(),
    odd,
    read: (rel) => readFile(abs(rel)),
    sha256: (rel) => hashStream(createReadStream(abs(rel))),
    close: () => {},
  };
}

/** Throws (yauzl's message) when the file is not a well-formed zip, e.g. bytes appended or prepended. */
export async function zipTree(file: string): Promise<ExportTree> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: false, strictFileNames: true }, (err, z) => (err ? reject(err) : resolve(z!))),
  );
  const entries = new Map<string, yauzl.Entry>();
  const dirs: string[] = [];
  const odd: { path: string; reason: string }[] = [];
  if (zip.comment.length > 0) odd.push({ path: '(zip comment)', reason: `a ${zip.comment.length}-character zip comment` });
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (e: yauzl.Entry) => {
        const name = e.fileName;
        if (entries.has(name) || dirs.includes(name.replace(/\/$/, ''))) odd.push({ path: name, reason: 'duplicate zip entry (a reader may take either)' });
        else if (name.endsWith('/') && (e.uncompressedSize > 0 || e.compressedSize > 0)) odd.push({ path: name, reason: `directory entry carrying ${e.compressedSize} bytes of data` });
        else if (name.endsWith('/')) dirs.push(name.slice(0, -1));
        else entries.set(name, e);
        zip.readEntry();
      });
      zip.once('end', resolve);
      zip.once('error', reject);
      zip.readEntry();
    });
  } catch (err) {
    zip.close();
    throw err;
  }
  const open = (rel: string) => new Promise<Readable>((resolve, reject) => zip.openReadStream(entries.get(rel)!, (err, s) => (err ? reject(err) : resolve(s!))));
  return {
    files: [...entries.keys()].sort(),
    dirs: dirs.sort(),
    odd,
    read: async (rel) => {
      const chunks: Buffer[] = [];
      for await (const c of await open(rel)) chunks.push(c as Buffer);
      return Buffer.concat(chunks);
    },
    sha256: async (rel) => hashStream(await open(rel)),
    close: () => zip.close(),
  };
}

async function hashStream(s: Readable): Promise<string> {
  const h = createHash('sha256');
  for await (const c of s) h.update(c as Buffer);
  return h.digest('hex');
}
