import { createWriteStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';

/** Every file under `root`, as forward-slash relative paths, sorted. */
export async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

/** Zip a finished export folder (UTF-8 names, deflate). */
export async function zipFolder(root: string, zipPath: string): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const rel of await listFiles(root)) zip.addFile(path.join(root, ...rel.split('/')), rel);
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(zipPath, { flags: 'wx' }));
}
