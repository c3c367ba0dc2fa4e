import path from 'node:path';

export const INDEX_DIR = 'index';

export function shardFileName(seq: number): string {
  return `shard-${String(seq).padStart(5, '0')}.json`;
}

export function shardPath(caseDir: string, file: string): string {
  return path.join(caseDir, INDEX_DIR, file);
}
