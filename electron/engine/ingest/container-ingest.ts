import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { IngestSummary, SourceKind } from '../../../shared/types';
import { sniffType } from '../parse/sniff';
import { isContainerKind, type ContainerFormat } from '../source/containers/formats';
import type { ContainerLimits } from '../source/containers/limits';
import { walkContainer, type WalkEvent } from '../source/containers/walk';
import { kindFromHead } from '../source/discover';
import type { Materialized } from '../source/containers/materialize';
import { messageSpans, type MessageSpan } from '../source/message-spans';
import { outlookSpans } from '../source/outlook/outlook-spans';
import { openEvidence, PositionalReader } from '../source/positional-reader';
import { ContainerEntries } from '../store/container-entries';
import type { SourceRow } from '../store/source-registry';
import type { EntryDocuments } from './entry-documents';
import type { PipelineEntry } from './pipeline-entry';

export interface ContainerIngestContext {
  db: Database.Database;
  caseDir: string;
  signal?: AbortSignal;
  summary: IngestSummary;
  password?: string;
  limits?: Partial<ContainerLimits>;
  /** Extract attachments as documents (passed on to the parse jobs). */
  extract?: boolean;
  /** Where entries that are not mail become documents (one extraction worker for the whole run); none: listed only. */
  documents?: EntryDocuments | null;
  /** Hand an entry to the ordered pipeline (may wait while the parse workers catch up). */
  push: (entry: PipelineEntry) => Promise<void>;
}

/** The case's temp area for spooled archive entries (removed entry by entry, and emptied on each run). */
export function spoolDirOf(caseDir: string): string {
  const dir = path.join(caseDir, 'tmp');
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(dir)) if (name.startsWith('spool-')) rmSync(path.join(dir, name), { force: true });
  return dir;
}

/**
 * Ingest one archive source: every mail file inside (at any nesting depth) becomes a source of its own
 * whose messages go through the normal pipeline; every other entry is recorded with what it is. Entries
 * recorded by an earlier, interrupted run are passed over (resume at entry granularity; inside a
 * partially stored mbox, at message granularity).
 */
export async function ingestContainer(container: SourceRow, ctx: ContainerIngestContext): Promise<void> {
  const entries = new ContainerEntries(ctx.db);
  const sha256 = await hashEvidence(container.path);
  const finished = entries.finished(container.id);
  const mtimeMs = (ctx.db.prepare('SELECT mtime_ms FROM sources WHERE id = ?').get(container.id) as { mtime_ms: number }).mtime_ms;
  let problems = 0;
  const docs = ctx.documents ?? null;
  const walk = walkContainer(container.path, container.kind as ContainerFormat, {
    sha256,
    size: container.size,
    spoolDir: spoolDirOf(ctx.caseDir),
    password: ctx.password,
    limits: ctx.limits,
    skip: (chain) => finished.has(JSON.stringify(chain)),
  });
  for await (const ev of walk) {
    if (ctx.signal?.aborted) {
      if (ev.type === 'leaf' && ev.bytes.file) rmSync(ev.bytes.file, { force: true });
      break;
    }
    if (ev.type === 'leaf') {
      await ingestLeaf(container, mtimeMs, ev, entries, docs, ctx);
      continue;
    }
    if (ev.type === 'problem') {
      problems++;
      ctx.summary.skippedSources.push(`${container.path}: ${ev.message}`);
    }
    const info = {
      entry: ev.chain,
      role: ev.type,
      detected: ev.type === 'container' ? ev.format : ev.type === 'problem' ? ev.code : null,
      size: ev.type === 'container' ? ev.size : null,
      sha256: ev.type === 'container' ? ev.sha256 : null,
      detail: ev.type === 'skipped' ? ev.reason : ev.type === 'problem' ? ev.message : null,
    };
    await ctx.push({ kind: 'run', run: () => entries.record(container.id, info) });
  }
  if (ctx.signal?.aborted) return;
  const changed = await changedSince(container);
  if (changed) {
    // The archive hashed is not the one read to the end: what was stored stays, the archive is not done.
    ctx.summary.skippedSources.push(`${container.path}: ${changed}`);
    ctx.summary.skipped?.push({ path: container.path, reason: changed });
    await ctx.push({ kind: 'failed', source: container, reason: changed });
    return;
  }
  if (problems === 0) await ctx.push({ kind: 'end', source: container, sha256, notes: [] });
  else {
    // Entries could not all be read: the archive stays open for a later run (e.g. with --password),
    // which skips everything already stored.
    await ctx.push({
      kind: 'run',
      run: () => {
        ctx.db.prepare(`UPDATE sources SET status = 'failed', sha256 = ?, finished_at = ? WHERE id = ?`).run(sha256, new Date().toISOString(), container.id);
        ctx.summary.sources.push({ path: container.path, bytes: container.size, sha256 });
      },
    });
  }
}

async function ingestLeaf(
  container: SourceRow,
  mtimeMs: number,
  ev: Extract<WalkEvent, { type: 'leaf' }>,
  entries: ContainerEntries,
  docs: EntryDocuments | null,
  ctx: ContainerIngestContext,
): Promise<void> {
  const { bytes, chain } = ev;
  const removeSpool = () => {
    if (bytes.file) rmSync(bytes.file, { force: true });
  };
  const kind = kindFromHead(chain[chain.length - 1]!, ev.head, bytes.size, false);
  if (docs && (typeof kind !== 'string' || isContainerKind(kind))) {
    // Not mail: a document, extracted and stored like a loose file of a folder.
    const doc = await docs.extract(chain, ev.head, bytes);
    const info = { entry: chain, role: 'document' as const, detected: doc.sniffed, size: bytes.size, sha256: bytes.sha256, detail: doc.problem };
    await ctx.push({ kind: 'run', run: () => (docs.store(container.path, mtimeMs, chain, bytes, doc), entries.record(container.id, info), removeSpool()) });
    return;
  }
  if (typeof kind !== 'string' || isContainerKind(kind)) {
    // Extraction off: recorded with its type.
    const detected = await sniffType(ev.head);
    const reason = typeof kind !== 'string' ? kind.reason : 'archive not opened';
    const info = { entry: chain, role: 'other' as const, detected, size: bytes.size, sha256: bytes.sha256, detail: reason };
    await ctx.push({ kind: 'run', run: () => (entries.record(container.id, info), removeSpool()) });
    return;
  }
  const { row, skip } = entries.registerMailEntry(container, mtimeMs, chain, kind, bytes.size);
  const info = { entry: chain, role: 'mail' as const, detected: kind, size: bytes.size, sha256: bytes.sha256, detail: null };
  if (skip) {
    await ctx.push({ kind: 'run', run: () => (entries.record(container.id, info, row.id), removeSpool()) });
    return;
  }
  for await (const span of leafSpans(kind, bytes, row, ctx)) {
    // Outlook items come re-encoded (span.bytes); other spans are sliced from the in-memory entry, or read
    // by the parse worker from the spool file.
    const inMemory = span.bytes ?? (bytes.buffer ? new Uint8Array(bytes.buffer.subarray(span.offset, span.offset + span.length)) : undefined);
    const job = { path: bytes.file ?? row.path, offset: span.offset, length: span.length, quotedFrom: span.quotedFrom, bytes: inMemory, notes: span.notes, extract: ctx.extract };
    await ctx.push({ kind: 'span', source: row, span, job, meterId: container.id });
    if (ctx.signal?.aborted) break;
  }
  if (ctx.signal?.aborted) {
    await ctx.push({ kind: 'run', run: removeSpool });
    return;
  }
  await ctx.push({ kind: 'end', source: row, sha256: bytes.sha256, notes: [] });
  await ctx.push({ kind: 'run', run: () => (entries.record(container.id, info, row.id), removeSpool()) });
}

/** The messages of a mail entry: split from its bytes (mbox, eml, emlx) or read as Outlook items (PST, .msg). */
async function* leafSpans(kind: SourceKind, bytes: Materialized, row: SourceRow, ctx: ContainerIngestContext): AsyncGenerator<MessageSpan> {
  if (kind === 'pst' || kind === 'msg') {
    const onProblem = (p: string) => ctx.summary.warnings?.push(p.replace(bytes.file ?? '\0', row.path));
    yield* outlookSpans(bytes.file ?? row.path, kind, row.ingestedOffset, onProblem, bytes.buffer ?? undefined);
    return;
  }
  const reader = bytes.buffer ? PositionalReader.fromBuffer(bytes.buffer) : await PositionalReader.open(bytes.file!);
  try {
    yield* messageSpans(reader, kind, row.ingestedOffset);
  } finally {
    await reader.close();
  }
}

/** Whether the archive changed on disk since it was registered (it is read more than once: hash, walk). */
async function changedSince(container: SourceRow): Promise<string | null> {
  const st = await stat(container.path).catch(() => null);
  if (!st) return 'vanished while it was read';
  if (st.size !== container.size) return `changed while it was read (${container.size} → ${st.size} bytes): the entries stored so far stay; not marked done`;
  if (Math.trunc(st.mtimeMs) !== container.mtimeMs) return 'modified while it was read (modification time changed, size unchanged): the entries stored so far stay; not marked done';
  return null;
}

async function hashEvidence(file: string): Promise<string> {
  const handle = await openEvidence(file);
  const hash = createHash('sha256');
  for await (const chunk of handle.createReadStream({ highWaterMark: 4 * 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
