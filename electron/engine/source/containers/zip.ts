import yauzl from 'yauzl';
import { closeSync } from 'node:fs';
import { openReadOnlySync } from '../evidence-fd-cache';
import type { ArchiveEntry, ArchiveInput, ArchiveReader } from './archive';
import { ContainerError } from './limits';
import { zipEntryName } from './zip-names';

/**
 * Zip through yauzl: reads the central directory (zip64 included) and decompresses one entry at a time
 * with random access, so a skipped entry costs nothing. Data descriptors need no special handling
 * because sizes come from the central directory. yauzl checks that each entry inflates to its declared
 * size (a lying header is an error, not a bomb).
 */
export async function openZip(input: ArchiveInput, maxEntries: number): Promise<ArchiveReader> {
  // yauzl owns the descriptor (autoClose): it closes it once the directory is read and no stream is open.
  const options = { lazyEntries: true, decodeStrings: false, autoClose: true, validateEntrySizes: true };
  const fd = 'path' in input ? openReadOnlySync(input.path) : null;
  let zip: yauzl.ZipFile;
  try {
    zip = 'buffer' in input ? await yauzl.fromBufferPromise(input.buffer, options) : await yauzl.fromFdPromise(fd!, options);
  } catch (err) {
    if (fd !== null) closeSync(fd);
    throw new ContainerError('corrupt', `not a readable zip: ${(err as Error).message}`);
  }
  if (zip.entryCount > maxEntries) {
    zip.close();
    throw new ContainerError('bomb', `zip declares ${zip.entryCount} entries (limit ${maxEntries})`);
  }
  return {
    async *entries() {
      for (;;) {
        const entry = await nextEntry(zip);
        if (!entry) return;
        const name = zipEntryName(entry.generalPurposeBitFlag, entry.fileName as unknown as Buffer, entry.extraFields);
        const item: ArchiveEntry = {
          name,
          size: entry.uncompressedSize,
          type: name.endsWith('/') ? 'directory' : 'file',
          encrypted: entry.isEncrypted(),
          open: async () => {
            try {
              return await zip.openReadStreamPromise(entry);
            } catch (err) {
              throw new ContainerError('corrupt', `cannot read ${name}: ${(err as Error).message}`);
            }
          },
        };
        yield item;
      }
    },
    async close() {
      if (zip.isOpen) zip.close();
    },
  };
}

function nextEntry(zip: yauzl.ZipFile): Promise<yauzl.Entry | null> {
  return new Promise((resolve, reject) => {
    const done = (value: yauzl.Entry | null, err?: Error) => {
      zip.off('entry', onEntry);
      zip.off('end', onEnd);
      zip.off('error', onError);
      if (err) reject(new ContainerError('corrupt', `zip directory unreadable: ${err.message}`));
      else resolve(value);
    };
    const onEntry = (e: yauzl.Entry) => done(e);
    const onEnd = () => done(null);
    const onError = (e: Error) => done(null, e);
    zip.on('entry', onEntry);
    zip.on('end', onEnd);
    zip.on('error', onError);
    zip.readEntry();
  });
}
