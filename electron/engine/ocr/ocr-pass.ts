import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Worker as TesseractWorker } from 'tesseract.js';
import type { OcrProgress } from '../../../shared/types';
import { attachmentContents } from '../parse/attachment-content';
import { IndexFeeder } from '../search/index-feeder';
import { updateCaseTerms } from '../search/case-terms-build';
import { updatePairSlices } from '../search/pair-slices-build';
import { CaseQueries } from '../store/case-queries';
import type { CaseStore } from '../store/case-store';
import { readVerifiedOriginal } from '../store/original-bytes';
import { ocrDocument } from './ocr-document';
import { offlineWorker } from './tesseract-offline';
import { deflateText } from '../util/raw-deflate';
import { readArchivedDocument } from '../store/archived-document';

/** A PDF with fewer characters of text than this per page has no usable text layer (a scan). */
const MIN_CHARS_PER_PAGE = 16;
/** Images smaller than this (spacer GIFs, 1-pixel trackers) are not worth a recognition. */
const MIN_IMAGE_BYTES = 1024;
/** Documents larger than this are not read back for OCR (the extraction bound). */
const MAX_BYTES = 64 * 1024 * 1024;
/** Wall-clock budget per document: the tesseract worker is terminated (a hard stop) when it runs out. */
export const OCR_DOCUMENT_MS = 180_000;

interface Candidate {
  sha256: string;
  name: string;
  type: string;
}

export interface OcrPassOptions {
  onProgress?: (p: OcrProgress) => void;
  signal?: AbortSignal;
  /** Try again the documents an earlier pass marked failed. */
  retryFailed?: boolean;
}

/**
 * The opt-in OCR pass (issue 11 item 8): scanned PDFs (no text layer) and images, in French and English.
 * Runs after ingest, resumable: each document's state is committed when it is done, so a killed pass
 * goes on where it stopped. Recognised text is stored apart (`ocr_pages`) and marked as OCR; the search
 * index shards holding the messages that carry those documents are rebuilt so a word found by OCR finds
 * its message.
 */
export async function runOcrPass(store: CaseStore, opts: OcrPassOptions = {}): Promise<OcrProgress> {
  const started = Date.now();
  const db = store.db;
  const all = db
    .prepare(
      `SELECT sha256, name, type, ocr_state FROM documents
       WHERE size <= ? AND ((type = 'image' AND size >= ?)
         OR (type = 'pdf' AND text_chars < ? * MAX(1, COALESCE(json_extract(meta_json, '$.pageCount'), 1))))
       ORDER BY id`,
    )
    .all(MAX_BYTES, MIN_IMAGE_BYTES, MIN_CHARS_PER_PAGE) as (Candidate & { ocr_state: string | null })[];
  const todo = all.filter((c) => c.ocr_state === null || (opts.retryFailed && c.ocr_state === 'failed'));
  const progress: OcrProgress = { candidates: all.length, done: 0, empty: 0, failed: 0, skipped: all.length - todo.length, seconds: 0 };
  const report = () => opts.onProgress?.({ ...progress, seconds: (Date.now() - started) / 1000 });
  const save = db.prepare('UPDATE documents SET ocr_state = ?, ocr_error = ?, ocr_pages = ?, ocr_chars = ?, ocr_at = ? WHERE sha256 = ?');
  const queries = new CaseQueries(db);
  const withText: string[] = [];
  let worker: TesseractWorker | null = null;
  try {
    for (const doc of todo) {
      if (opts.signal?.aborted) break;
      progress.current = doc.name;
      report();
      worker ??= await offlineWorker();
      let state: 'done' | 'empty' | 'failed' = 'failed';
      let error: string | null = null;
      let pages: string[] = [];
      try {
        const bytes = await documentBytes(db, queries, doc.sha256);
        if (!bytes) throw new Error('its bytes were not found with their SHA-256 at any recorded place (loose path moved or changed, message unreadable), or it is embedded in another document (not read back for OCR)');
        const w = worker;
        const result = await budget(ocrDocument(w, bytes, doc.type), () => {
          worker = null;
          void w.terminate();
        });
        pages = result.pages;
        error = result.error ?? null;
        state = pages.some((p) => p.trim()) ? 'done' : 'empty';
      } catch (err) {
        error = (err as Error)?.message ?? String(err);
      }
      const chars = pages.reduce((n, p) => n + p.length, 0);
      save.run(state, error, state === 'done' ? deflateText(JSON.stringify(pages)) : null, chars, new Date().toISOString(), doc.sha256);
      progress[state]++;
      if (state === 'done') withText.push(doc.sha256);
    }
  } finally {
    if (worker) await (worker as TesseractWorker).terminate().catch(() => {});
  }
  delete progress.current;
  if (withText.length) {
    await reindexMessagesCarrying(store, withText);
    store.audit.append('ocr', { documents: withText.length, sha256: withText.slice(0, 100) });
  }
  progress.seconds = (Date.now() - started) / 1000;
  report();
  return progress;
}

function budget<T>(work: Promise<T>, onTimeout: () => void): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new Error(`OCR took longer than ${OCR_DOCUMENT_MS / 1000} s`));
    }, OCR_DOCUMENT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** The document's bytes, from a loose file, an archive entry or a message carrying it, proven by its SHA-256. */
async function documentBytes(db: CaseStore['db'], queries: CaseQueries, sha256: string): Promise<Uint8Array | null> {
  const digest = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
  for (const { path } of db.prepare('SELECT path FROM loose_files WHERE sha256 = ? ORDER BY id LIMIT 3').all(sha256) as { path: string }[]) {
    const bytes = await readFile(path).catch(() => null);
    if (bytes && digest(bytes) === sha256) return bytes;
  }
  // A document found inside an archive: re-read through the archive's entry chain.
  const archived = await readArchivedDocument(db, sha256);
  if (archived) return archived;
  for (const a of db.prepare('SELECT message_id, idx FROM attachments WHERE sha256 = ? ORDER BY message_id LIMIT 3').all(sha256) as { message_id: number; idx: number }[]) {
    try {
      const { bytes, location } = await readVerifiedOriginal(queries, a.message_id);
      const [part] = await attachmentContents(bytes, location.quotedFrom, (i) => i === a.idx);
      if (part && part.sha256 === sha256) return part.content;
    } catch {
      // Evidence moved or changed: try the next message carrying these bytes.
    }
  }
  return null;
}

/** Rebuild, in place, the index shards holding messages that carry these documents (directly or embedded). */
async function reindexMessagesCarrying(store: CaseStore, shas: string[]): Promise<void> {
  const ids = new Set<number>();
  const carriers = store.db.prepare(
    `SELECT DISTINCT message_id FROM attachments WHERE sha256 = @sha OR sha256 = (SELECT parent_sha256 FROM documents WHERE sha256 = @sha)`,
  );
  for (const sha of shas) for (const r of carriers.all({ sha }) as { message_id: number }[]) ids.add(r.message_id);
  const shards = store.db.prepare('SELECT seq, first_id firstId, last_id lastId FROM index_shards ORDER BY seq').all() as { seq: number; firstId: number; lastId: number }[];
  const rebuilt = shards.filter((shard) => [...ids].some((id) => id >= shard.firstId && id <= shard.lastId));
  for (const shard of rebuilt) await IndexFeeder.rebuild(store.db, store.dir, shard);
  if (rebuilt.length === 0) return;
  // The case's term dictionary and the rewritten shards' sideways pair filters no longer stand for them: bring them up to date.
  updateCaseTerms(store.db, store.dir, { always: true });
  updatePairSlices(store.db, store.dir);
}
