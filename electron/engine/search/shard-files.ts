import path from 'node:path';

export const INDEX_DIR = 'index';

/** Binary shards (binary-shard.ts); cases built before it have shard-NNNNN.json, still readable. */
export function shardFileName(seq: number): string {
  return `shard-${String(seq).padStart(5, '0')}.bin`;
}

export function shardPath(caseDir: string, file: string): string {
  return path.join(caseDir, INDEX_DIR, file);
}
