/**
 * Bounds that keep hostile archives (bombs, quines, millions of entries) finite in time, memory and
 * disk. Each is checked while reading, so a bomb stops at the first byte past the bound.
 */
export interface ContainerLimits {
  /** Containers inside containers: a zip in a tar is depth 2. */
  maxDepth: number;
  /** Entries across one top-level container and everything nested in it. */
  maxEntries: number;
  /** Decompressed bytes across one top-level container: this ratio × its size, plus `expandSlack`. */
  maxExpandRatio: number;
  expandSlack: number;
  /** An entry up to this size is held in memory; larger mail entries are spooled into the case. */
  inMemoryBytes: number;
  /** A nested container (or a 7z/RAR batch) is opened from memory up to this size. */
  nestedBytes: number;
}

export const DEFAULT_LIMITS: ContainerLimits = {
  maxDepth: 5,
  maxEntries: 1_000_000,
  maxExpandRatio: 100,
  expandSlack: 256 * 1024 * 1024,
  inMemoryBytes: 64 * 1024 * 1024,
  nestedBytes: 512 * 1024 * 1024,
};

/** A container problem that concerns one archive or entry: reported, never fatal to the ingest. */
export class ContainerError extends Error {
  override name = 'ContainerError';
  constructor(
    readonly code: 'encrypted' | 'bomb' | 'corrupt' | 'too-large' | 'unsupported',
    message: string,
    /** Stops the whole top-level container (a bomb), not just this entry. */
    readonly fatal = false,
  ) {
    super(message);
  }
}
