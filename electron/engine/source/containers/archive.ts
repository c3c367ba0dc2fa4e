/** One entry as an archive format reader lists it, before anything is read. */
export interface ArchiveEntry {
  /** Path inside this archive, as stored (decoded to Unicode). */
  name: string;
  /** Declared uncompressed size, when the format states it. */
  size: number | null;
  type: 'file' | 'directory' | 'link' | 'other';
  encrypted: boolean;
  /** The entry's bytes, decompressed; call at most once, and only before asking for the next entry. */
  open(): Promise<AsyncIterable<Buffer>>;
}

/** A container's bytes: the evidence file itself, or an entry of an outer container held in memory. */
export type ArchiveInput = { path: string } | { buffer: Buffer; name: string };

/** Entries in archive order; a reader is used once, front to back, then closed. */
export interface ArchiveReader {
  entries(): AsyncGenerator<ArchiveEntry>;
  close(): Promise<void>;
}

export function inputName(input: ArchiveInput): string {
  return 'path' in input ? input.path : input.name;
}
