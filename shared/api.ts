// The one typed contract between the UI and the engine. Electron IPC (preload) and the loopback browser
// harness are two transports over the same handler table (electron/engine/api/handlers.ts).
import type { DocumentDetail, OcrProgress, DocumentPage, DocumentSort, AttachmentContent, CaseStats, FacetFilters, FacetName, FacetsResult, TimelineUnit, ExportRequest, IngestProgress, IngestSummary, ExportResult, MessageBody, MessageJson, MessagePage, NoteInfo, SearchResult, SearchSort, Selection, TagChange, TagInfo, ThreadJson, VersionSide } from './types';

export interface Api {
  stats(args: Record<string, never>): CaseStats;
  /** Messages by date: oldest first (default) or newest first. */
  listMessages(args: { limit: number; offset: number; order?: 'asc' | 'desc' }): MessagePage;
  getMessage(args: { id: number }): MessageJson;
  getBody(args: { id: number }): MessageBody;
  getThread(args: { id: number }): ThreadJson;
  /** `filters` narrows the hits to facet values and a date range (see facets). */
  search(args: { query: string; limit: number; offset: number; sort?: SearchSort; filters?: FacetFilters }): SearchResult;
  /** Facet counts, timeline and who-writes-to-whom for a query and filters (the overview). */
  facets(args: { query: string; filters?: FacetFilters; stackBy?: FacetName; unit?: TimelineUnit }): FacetsResult;
  /**
   * Where a query's hits are in each of `texts` (a body, the text nodes of its sanitized HTML, an
   * attachment's text): [start, end) character ranges per text, matched as the index matches words.
   */
  highlight(args: { query: string; texts: string[] }): { ranges: [number, number][][] };
  /** The exact original bytes of a message, as latin1-safe base64 (for the raw source view). */
  /** The original bytes; beyond a display limit only the first bytes (`truncated`, `size` = full length). */
  getRaw(args: { id: number }): { base64: string; sha256: string; size?: number; truncated?: boolean };
  /** One attachment's decoded bytes (at most 64 MiB), checked against the SHA-256 recorded at ingest. */
  getAttachment(args: { id: number; index: number }): AttachmentContent;
  /** Every tag with its colour and message count. */
  listTags(args: Record<string, never>): TagInfo[];
  /** Add (or remove) a tag on a selection: ids, a message's thread, or every hit of a query. One transaction. */
  tagMessages(args: { tag: string; selection: Selection; remove?: boolean; color?: string }): TagChange;
  /** Set a message's note; empty text deletes it. */
  setNote(args: { id: number; text: string }): NoteInfo | null;
  /** Start an export (runs in the background); poll exportStatus with the returned job id. */
  startExport(args: Omit<ExportRequest, 'overwrite'>): { job: number };
  exportStatus(args: { job: number }): ExportStatus;
  /** Ingest evidence files or folders (paths on this machine, read-only) into the open case. */
  startIngest(args: { inputs: string[] }): { started: true };
  ingestStatus(args: Record<string, never>): IngestStatus;
  cancelIngest(args: Record<string, never>): { cancelling: true };
  /** The versions of a message (same Message-ID, different content), this one first, for the compare view. */
  compareVersions(args: { id: number }): VersionSide[];
  /** Import a DKIM key file from a path on this machine (every format `casefile keys import` takes); audited. */
  importKeys(args: { path: string; name?: string }): KeyImportResult;
  /** Documents (attachments, embedded, loose) filtered by the query language, sorted by a column. */
  listDocuments(args: { query: string; limit: number; offset: number; sort?: DocumentSort; desc?: boolean }): DocumentPage;
  /** One document with its text per page and every place its bytes appear. */
  getDocument(args: { id: number }): DocumentDetail;
  /** Start the optional OCR pass (scanned PDFs and images, French + English) in the background. */
  startOcr(args: { retryFailed?: boolean }): { started: true };
  ocrStatus(args: Record<string, never>): OcrStatus;
}

export interface OcrStatus {
  state: 'idle' | 'running' | 'finished' | 'failed';
  progress: OcrProgress | null;
  error: string | null;
}

export interface IngestStatus {
  state: 'idle' | 'running' | 'finished' | 'cancelled' | 'failed';
  progress: IngestProgress | null;
  summary: IngestSummary | null;
  error: string | null;
}

export interface ExportStatus {
  done: number;
  total: number;
  state: 'running' | 'finished' | 'failed';
  result?: ExportResult;
  error?: string;
}

export type ApiMethod = keyof Api;
export type ApiArgs<M extends ApiMethod> = Parameters<Api[M]>[0];
export type ApiResult<M extends ApiMethod> = ReturnType<Api[M]>;

/** The methods the UI may call, and nothing else (the preload exposes exactly these). */
export const API_METHODS: readonly ApiMethod[] = [
  'stats',
  'listMessages',
  'getMessage',
  'getBody',
  'getThread',
  'search',
  'facets',
  'highlight',
  'getRaw',
  'getAttachment',
  'listTags',
  'tagMessages',
  'setNote',
  'startExport',
  'exportStatus',
  'startIngest',
  'ingestStatus',
  'cancelIngest',
  'compareVersions',
  'importKeys',
  'listDocuments',
  'getDocument',
  'startOcr',
  'ocrStatus',
];

export interface KeyImportResult {
  format: string;
  added: number;
  replaced: number;
  unchanged: number;
  ignored: number;
  version: number;
  /** Signed messages verified again with the new key set. */
  reverified: number;
}

/** An error the UI can show: `code` is stable, `message` is for people. */
export interface ApiError {
  code: 'bad-request' | 'not-found' | 'bad-query' | 'internal';
  message: string;
  part?: string;
}

/**
 * What only the desktop shell can do (native dialogs, paths of dropped files), exposed by the preload as
 * window.casefileShell. The browser harness has no shell: the UI then asks for paths as text.
 */
export interface Shell {
  /** Native picker for evidence: files (mbox, eml, emlx) or folders. Empty when cancelled. */
  chooseEvidence(kind: 'files' | 'folder'): Promise<string[]>;
  /** Pick a case folder (new or existing); the app reopens on it. */
  chooseCase(): Promise<string | null>;
  /** Native folder picker for an export destination (a new folder is created inside it). Null when cancelled. */
  chooseExportFolder(): Promise<string | null>;
  /** Recently opened case folders, most recent first (desktop app). */
  recentCases(): Promise<string[]>;
  /** Reopen the app on a case folder from the recent list (new or existing). */
  openCase(dir: string): Promise<string | null>;
  /** Evidence the app was opened with (file associations, command line). */
  pendingEvidence(): Promise<string[]>;
  /** The file-system path of a file dropped on the window. */
  pathForFile(file: File): string;
}

export const SHELL_COMMANDS = ['chooseEvidence', 'chooseCase', 'pendingEvidence', 'chooseExportFolder', 'recentCases', 'openCase'] as const;
export type ShellCommand = (typeof SHELL_COMMANDS)[number];

/** Events the engine pushes to the UI (Electron: IPC from the utilityProcess; harness: Server-Sent Events). */
export interface ApiEvents {
  ingestProgress: IngestStatus;
  exportProgress: ExportStatus & { job: number };
}
export type ApiEventName = keyof ApiEvents;
export const API_EVENTS: readonly ApiEventName[] = ['ingestProgress', 'exportProgress'];
