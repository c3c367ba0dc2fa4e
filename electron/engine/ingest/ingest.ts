import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { IngestProgress, IngestSummary, SourceKind } from '../../../shared/types';
import { ParsePool, type ParseOutcome } from '../parse/parse-pool';
import type { ParsedRecord } from '../parse/parsed-record';
import type { SpanJob } from '../parse/parse-span';
import { discoverSources, type DiscoveredSource } from '../source/discover';
import { messageSpans } from '../source/message-spans';
import { EvidenceChangedError, PositionalReader } from '../source/positional-reader';
import { hashSpanBytes } from '../source/span-hash';
import { IndexFeeder } from '../search/index-feeder';
import { buildIndexStructuresAside, buildIndexStructuresHere, worthAWorker } from '../search/index-structures';
import { addressListText, type WireDoc } from '../search/index-doc';
import { attachmentText } from '../documents/attachment-text';
import { computeDocumentFlags } from '../documents/document-flags';
import { DocumentWriter } from '../documents/document-store';
import { ingestLooseFiles } from '../documents/loose-files';
import { CaseStore, DB_FILE } from '../store/case-store';
import { MessageWriter } from '../store/message-writer';
import { tuneForBulkWrites } from '../store/bulk-write-pragmas';
import { SourceRegistry, type SourceRow } from '../store/source-registry';
import { rethreadCase } from '../thread/rethread';
import { FacetIndex } from '../facets/facet-index';
import { AuthWriter } from '../auth/auth-writer';
import { KeyStore } from '../auth/key-store';
import { EarlyParse } from './early-parse';
import { EntryDocuments } from './entry-documents';
import { changedWhileRead, recheckChanged } from './evidence-change';
import { assertCaseApartFromEvidence } from './evidence-guard';
import type { PipelineEntry } from './pipeline-entry';
import { ProgressMeter } from './progress-meter';
import { phase } from './phase-log';
import { isWholeFileSource, wholeFileEnd, wholeFileEntry } from './whole-file';
import type { ContainerLimits } from '../source/containers/limits';
import { isContainerKind } from '../source/containers/formats';
import { deflateText } from '../util/raw-deflate';

export interface IngestOptions {
  caseDir: string;
  inputs: string[];
  signal?: AbortSignal;
  onProgress?: (p: IngestProgress) => void;
  workers?: number;
  allowCaseNearEvidence?: boolean;
  /** Messages per parse batch / per store transaction. */
  batchMessages?: number;
  /** Build the search index in the same pass (default true). */
  index?: boolean;
  /** Messages per search-index shard. */
  shardSize?: number;
  /** Extract attachments and loose files as documents (default true). */
  extract?: boolean;
  /** Password for encrypted archives (zip, 7z, RAR). */
  password?: string;
  /** Bounds for archives (tests lower them). */
  containerLimits?: Partial<ContainerLimits>;
}

type Entry = PipelineEntry;
/** What a source's messages add to its row (new messages, messages with errors). */
type SourceCounts = { messages: number; errors: number };

interface Batch {
  entries: Entry[];
  outcomes: Promise<ParseOutcome[]>;
  /** Parsed already: it can be committed without waiting (the case fills as ingest goes). */
  ready?: boolean;
}

/** A progressive case (issue 15): the first batch is small, so the first messages are listed within seconds. */
const FIRST_BATCH_MESSAGES = 32;

const BATCH_BYTES = 8 * 1024 * 1024;
const WARM_EXTRACTION_BYTES = 64 * 1024 * 1024;

/**
 * Ingest sources into a case: split (main thread, streaming), hash + parse (worker pool), store in
 * ordered batched transactions that also advance each source's resume offset. Killing the process at
 * any point loses at most the uncommitted batches, which the next run redoes from the stored offset.
 */
export async function ingest(opts: IngestOptions): Promise<IngestSummary> {
  const started = Date.now();
  phase('start');
  // The parse workers load their code while the main thread walks the folders (a Maildir's discovery
  // takes a core for a second or more, the other is free). An attachment whose documents an earlier
  // batch or run stored is not extracted again (the case is opened once discovery is done).
  let docWriter: DocumentWriter | null = null;
  const pool = new ParsePool(opts.workers, undefined, { caseDb: () => (docWriter ? store.db.name : null) });
  const earlyIndex = opts.index === false ? undefined : IndexFeeder.prestart(); // likewise
  const extract = opts.extract !== false;
  const batchMessages = opts.batchMessages ?? 256;
  const maxInFlight = pool.size * 2;
  // A new case: the first whole-file messages are parsed while the walk goes on (early-parse.ts).
  const early = existsSync(path.join(opts.caseDir, DB_FILE))
    ? null
    : new EarlyParse(pool, extract, {
        first: Math.min(FIRST_BATCH_MESSAGES, batchMessages),
        messages: batchMessages,
        bytes: BATCH_BYTES,
        totalMessages: maxInFlight * batchMessages,
        totalBytes: maxInFlight * BATCH_BYTES,
      });
  // A large ingest starts its extraction worker as soon as discovery has found that much, beside the parse
  // workers (the first messages' attachments then do not wait for it); a small one only when an attachment needs it.
  let discoveredBytes = 0;
  const onSource = (d: DiscoveredSource) => {
    early?.offer(d);
    discoveredBytes += d.stamp.size;
    if (extract && discoveredBytes > WARM_EXTRACTION_BYTES) pool.warmExtraction();
  };
  let discovery: Awaited<ReturnType<typeof discoverSources>>;
  let store: CaseStore;
  try {
    discovery = await discoverSources(opts.inputs, onSource);
    early?.send();
    phase('discovered');
    if (!opts.allowCaseNearEvidence) assertCaseApartFromEvidence(opts.caseDir, discovery.sources.map((s) => s.path), opts.inputs);
    store = CaseStore.open(opts.caseDir, { create: true });
  } catch (err) {
    await pool.close();
    await earlyIndex?.worker.terminate();
    throw err;
  }
  tuneForBulkWrites(store.db);
  pool.caseOpened(); // workers that met an attachment before this check the case from now on
  const registry = new SourceRegistry(store.db);
  const writer = new MessageWriter(store.db);
  docWriter = new DocumentWriter(store.db);
  // Reports the parse workers computed (unsigned, dated messages), stored with their message.
  const authWriter = new AuthWriter(store.db);
  const keysVersion = new KeyStore(store.db, store.audit).version();
  const entryDocuments = extract ? new EntryDocuments(store.db) : null;
  const feeder = opts.index === false ? null : await IndexFeeder.start(store.db, store.dir, opts.shardSize, earlyIndex);
  const summary: IngestSummary = { messages: 0, duplicates: 0, errors: 0, skippedSources: [], sources: [], seconds: 0, cancelled: false, skipped: [], warnings: [] };
  for (const s of discovery.skipped) {
    // Kept whole: a path that is not valid UTF-8 also carries its bytes (pathHex).
    summary.skippedSources.push(`${s.path}: ${s.reason}`);
    summary.skipped!.push(s);
  }
  const plan: { row: SourceRow; skip: string | null; note?: string }[] = [];
  // One transaction for all registrations (a Maildir has a source per message).
  // Each file's size and mtime are those discovery saw (no second stat per file).
  const registered = store.db.transaction(() =>
    discovery.sources.map((d) => ({ st: d.stamp, reg: registry.register(d.path, d.kind as SourceKind, d.stamp) })),
  )();
  for (const { st, reg } of registered) plan.push(reg.changed ? await recheckChanged(registry, reg.row, st, reg.skip!) : reg);
  phase('registered');
  const meter = new ProgressMeter(plan.map((p) => p.row), opts.onProgress);

  const closeParsing = async () => {
    await entryDocuments?.close(); // both idempotent
    await pool.close();
  };
  const queue: Batch[] = [];
  let pending: Entry[] = [];
  let pendingBytes = 0;

  const finishSource = (source: SourceRow, sha256: string, notes: string[], counts?: SourceCounts) => {
    registry.markDone(source.id, sha256, counts);
    // Audited in the same transaction that marks it done: a kill cannot separate the two.
    store.audit.append('source-ingested', { path: source.path, kind: source.kind, bytes: source.size, sha256, ...(notes.length > 0 ? { notes } : {}) });
    summary.sources.push({ path: source.path, bytes: source.size, sha256 });
  };
  const failSource = (source: SourceRow, reason: string) => {
    registry.markFailed(source.id);
    store.audit.append('source-failed', { path: source.path, bytes: source.size, reason });
  };

  const commit = async (batch: Batch) => {
    const outcomes = await batch.outcomes;
    let k = 0;
    const records = await Promise.all(batch.entries.map((e) => (e.kind === 'span' ? recordOf(e.job, outcomes[k++]!) : null)));
    const docs: WireDoc[] = [];
    const attachmentShas = new Map<number, string[]>();
    store.db.transaction(() => {
      batch.entries.forEach((e, i) => {
        if (e.kind === 'run') return e.run();
        if (e.kind === 'end') return finishSource(e.source, e.sha256, e.notes);
        if (e.kind === 'failed') return failSource(e.source, e.reason);
        const rec = records[i]!;
        const result = writer.store(
          { sourceId: e.source.id, offset: e.span.offset, length: e.span.length, envelope: e.span.envelope, quotedFrom: e.span.quotedFrom },
          rec,
        );
        const counts = { messages: result.kind === 'new' ? 1 : 0, errors: rec.errors.length > 0 ? 1 : 0 };
        // A whole-file source is finished by its one message: counted when it is marked done (endWholeFile).
        if (!e.wholeFile) registry.advance(e.source.id, e.span.next, counts.messages, counts.errors);
        if (result.kind === 'new') {
          summary.messages++;
          for (const d of rec.documents ?? []) docWriter.store(d);
          docs.push(wireDoc(result.row, rec));
          if (rec.auth) authWriter.saveAtIngest(result.row, keysVersion, rec.auth, new Date().toISOString());
          if (rec.attachments.length) attachmentShas.set(result.row, rec.attachments.map((a) => a.sha256));
        }
        if (result.kind === 'duplicate') summary.duplicates++;
        if (rec.errors.length > 0) summary.errors++;
        meter.committed(e.meterId ?? e.source.id, e.meterId ? 0 : e.span.next);
        if (e.wholeFile) endWholeFile(e.source, e.span.next, rec, counts);
      });
      authWriter.countAtIngest();
    })();
    for (const d of docs) d.attachment = attachmentText(store.db, attachmentShas.get(d.id) ?? []);
    await feeder?.add(docs);
    meter.report();
  };

  const endWholeFile = (source: SourceRow, next: number, rec: ParsedRecord, counts: SourceCounts) => {
    const end = wholeFileEnd(source, rec);
    if ('failed' in end) {
      registry.advance(source.id, next, counts.messages, counts.errors);
      skipSource(summary, source.path, end.failed);
      return failSource(source, end.failed);
    }
    for (const n of end.notes) summary.warnings!.push(`${source.path}: ${n}`);
    finishSource(source, end.sha256, end.notes, counts);
  };

  const flush = async () => {
    if (pending.length === 0) return;
    const entries = pending;
    pending = [];
    pendingBytes = 0;
    const jobs = entries.flatMap((e) => (e.kind === 'span' ? [e.job] : []));
    const outcomes = jobs.length === 0 ? Promise.resolve([]) : early ? early.outcomes(jobs) : pool.parse(jobs);
    const batch: Batch = { entries, outcomes };
    batch.outcomes.then(() => (batch.ready = true), () => (batch.ready = true));
    queue.push(batch);
    batches++;
    while (queue.length >= maxInFlight || queue[0]?.ready) await commit(queue.shift()!);
  };
  let batches = 0;
  const batchFull = () => pending.length >= (batches === 0 ? Math.min(FIRST_BATCH_MESSAGES, batchMessages) : batchMessages) || pendingBytes >= BATCH_BYTES;

  const push = async (entry: Entry) => {
    pending.push(entry);
    if (entry.kind === 'span') pendingBytes += entry.span.length;
    if (batchFull()) await flush();
  };

  try {
    for (const { row, skip, note } of plan) {
      if (skip) {
        skipSource(summary, row.path, skip);
        continue;
      }
      if (opts.signal?.aborted) break;
      if (note) summary.warnings!.push(`${row.path}: ${note}`);
      meter.startSource(row);
      if (isWholeFileSource(row, note)) {
        await push(wholeFileEntry(row, extract));
        continue;
      }
      if (isContainerKind(row.kind)) {
        const limits = opts.containerLimits;
        // Loaded when an archive is met: its readers (7z-wasm, yauzl, tar-stream, file-type) would otherwise
        // delay every ingest's start on the main thread (issue 15).
        const { ingestContainer } = await import('./container-ingest');
        await ingestContainer(row, { db: store.db, caseDir: store.dir, signal: opts.signal, summary, password: opts.password, limits, extract, documents: entryDocuments, push });
        continue;
      }
      let reader: PositionalReader | null = null;
      try {
        reader = await PositionalReader.open(row.path, undefined, row.size);
        const onProblem = (p: string) => summary.warnings!.push(p);
        for await (const span of messageSpans(reader, row.kind, row.ingestedOffset, row.path, onProblem)) {
          const job: SpanJob = { path: row.path, offset: span.offset, length: span.length, quotedFrom: span.quotedFrom, extract, bytes: span.bytes, notes: span.notes };
          pending.push({ kind: 'span', source: row, span, job });
          pendingBytes += span.length;
          if (batchFull()) await flush();
          if (opts.signal?.aborted) break;
        }
        if (!opts.signal?.aborted) {
          const sha256 = await reader.fileSha256();
          const changed = await changedWhileRead(reader, row);
          if (changed) summary.warnings!.push(`${row.path}: ${changed}`);
          pending.push({ kind: 'end', source: row, sha256, notes: [note, changed].filter((n): n is string => Boolean(n)) });
        }
      } catch (err) {
        if (!(err instanceof EvidenceChangedError)) throw err;
        // The file changed under us: this source stops here (what was read stays), the others go on.
        skipSource(summary, row.path, err.message);
        pending.push({ kind: 'failed', source: row, reason: err.message });
      } finally {
        await reader?.close();
      }
    }
    await flush();
    phase('split done');
    while (queue.length > 0) await commit(queue.shift()!);
    phase('last batch committed');
    // Files in the given folders that are not mail: recorded and extracted as loose documents.
    if (extract && !opts.signal?.aborted) {
      const loose = await ingestLooseFiles(store.db, discovery.skipped.filter((s) => !s.pathHex).map((s) => s.path), opts.signal);
      if (loose.files > 0) summary.looseDocuments = loose.files;
    }
    phase('loose files done');
    // Parsing and extraction are over: their workers (≈ 100 MiB each at 1 GiB) go before the end phases
    // build their whole-case structures, not after (issue 15 item 3: the peak was their sum).
    await closeParsing();
    phase('parse workers closed');
    // The index worker writes its last shard while this thread threads the case and reads its facets
    // (both only read the messages table and write their own tables): one core each instead of one after the other.
    const indexed = feeder?.finish();
    indexed?.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
    rethreadCase(store);
    phase('rethreaded');
    if (extract) computeDocumentFlags(store.db);
    phase('document flags');
    // Once the last shard is recorded, the index's case-wide structures (term dictionary, phrase filters
    // sideways) are built in a worker while this thread reads the facets (a case of one shard: after them, here).
    const aside = indexed && worthAWorker(store.db) ? await indexed.then(() => buildIndexStructuresAside(store.db, store.dir), () => null) : null;
    // The overview's columns of a large case, read now so that the case's first overview opens at once.
    if (summary.messages > 0) FacetIndex.forCase(store.db, store.dir).refresh();
    phase('facets refreshed');
    await indexed;
    if (aside) await aside.done;
    else if (feeder) buildIndexStructuresHere(store.db, store.dir);
    phase('index finished');
  } finally {
    await closeParsing();
    await feeder?.close();
  }
  phase('workers closed');
  summary.cancelled = Boolean(opts.signal?.aborted);
  if (summary.sources.length > 0) {
    store.audit.append('sources-ingested', { sources: summary.sources, messages: summary.messages, duplicates: summary.duplicates, errors: summary.errors });
  }
  store.close();
  phase('store closed');
  summary.seconds = (Date.now() - started) / 1000;
  return summary;
}

/** A source left out (or stopped early) is named in both of the summary's lists: the older text one and `skipped`. */
function skipSource(summary: IngestSummary, path: string, reason: string): void {
  summary.skippedSources.push(`${path}: ${reason}`);
  summary.skipped!.push({ path, reason });
}

function wireDoc(id: number, rec: ParsedRecord): WireDoc {
  return {
    id,
    subject: rec.subject ?? '',
    from: addressListText(rec.from),
    to: addressListText(rec.to),
    cc: addressListText(rec.cc),
    filename: rec.attachments.map((a) => a.filename ?? '').join(' '),
    attachment: '',
    bodyDeflated: rec.textDeflated,
  };
}

/** A message the parser could not handle is still stored: its bytes are hashed here, the error kept. */
async function recordOf(job: SpanJob, outcome: ParseOutcome): Promise<ParsedRecord> {
  if ('record' in outcome) return outcome.record;
  // The hash covers exactly the recorded length (the bytes actually there).
  const { sha256, length } = job.bytes
    ? { sha256: createHash('sha256').update(job.bytes).digest('hex'), length: job.bytes.length }
    : await hashSpanBytes(job.path, job.offset, job.length);
  return {
    sha256,
    length,
    messageId: null,
    dateMs: null,
    dateHeader: null,
    tzOffsetMinutes: null,
    from: [],
    to: [],
    cc: [],
    bcc: [],
    replyTo: [],
    subject: null,
    inReplyTo: null,
    references: [],
    textDeflated: deflateText(''),
    preview: '',
    hasHtml: false,
    bodyKey: sha256,
    attachments: [],
    errors: [{ code: outcome.code, message: `${outcome.failure.split('\n')[0]} (file ${job.path}, byte offset ${job.offset})` }],
  };
}

