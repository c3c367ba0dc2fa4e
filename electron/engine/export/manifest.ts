import { createHash } from 'node:crypto';
import type { ExportFormat } from '../../../shared/types';
import type { ExportRecord } from './export-record';
import type { WrittenFile } from './hashed-file';

export const MANIFEST = 'manifest.json';
export const MANIFEST_SHA = 'manifest.sha256';

/** manifest.json: what an export contains and where every byte came from. */
export interface Manifest {
  format: 'casefile-export';
  version: 1;
  tool: { name: 'casefile'; version: string };
  createdAt: string;
  exportFormat: ExportFormat;
  selection: { tag: string } | { query: string };
  case: {
    dir: string;
    /** Hash of the newest audit-log entry when the export was made (the case's history up to here). */
    auditHead: string;
    /** Number of audit entries up to auditHead (check with "casefile audit <case> --verify --head N:HASH"). */
    auditEntries?: number;
    messages: number;
  };
  /** Every evidence source of the case with its whole-file SHA-256. */
  sources: { path: string; bytes: number; sha256: string | null }[];
  /** Every file of the export except manifest.json and manifest.sha256. */
  files: WrittenFile[];
  messages: ExportRecord[];
}

export function manifestBytes(m: Manifest): Buffer {
  return Buffer.from(JSON.stringify(m, null, 2) + '\n', 'utf8');
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The line `sha256sum -c` understands. */
export function manifestShaLine(manifestSha: string): string {
  return `${manifestSha}  ${MANIFEST}\n`;
}
