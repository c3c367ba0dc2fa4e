// Worker thread: builds shards from docs (ShardBuilder: Lunr's analysis and weights) and writes each one to the
// case directory atomically.
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parentPort } from 'node:worker_threads';
import { inflateDoc, type IndexDoc, type WireDoc } from './index-doc';
import { ByteWriter, encodeShardParts } from './binary-shard';
import { buildPairFilter, holdsWord, pairHashes } from './phrase-pairs';
import { INDEX_DIR, shardFileName } from './shard-files';
import { ShardBuilder } from './shard-builder';
import { reportHeap } from '../util/heap-report';

export type IndexRequest =
  /** sealByOccurrences: seal a shard at SHARD_OCCURRENCES too (false when a shard is rewritten with its recorded size). */
  | { type: 'init'; caseDir: string; caseId: string; shardSize: number; sealByOccurrences: boolean; nextSeq: number }
  | { type: 'add'; docs: WireDoc[] }
  | { type: 'flush' };

export interface ShardWritten {
  type: 'shard';
  seq: number;
  file: string;
  firstId: number;
  lastId: number;
  docs: number;
  sealed: boolean;
  bytes: number;
  /** CRC-32 the shard file ends with (recorded beside it, so a swapped file is noticed). */
  checksum: number;
}
/** 'added': one 'add' request has been taken into the builder (the feeder's queue bound, index-feeder.ts). */
export type IndexReply = ShardWritten | { type: 'added' } | { type: 'flushed' } | { type: 'error'; message: string };

let caseDir = '';
let caseId = '';
let shardSize = 20_000;
let sealByOccurrences = true;
let seq = 1;
/**
 * Docs are added to a live builder as they arrive, so indexing overlaps with parsing instead of
 * happening all at once when a shard fills up (or at the end of an ingest).
 */
let builder: ShardBuilder | null = null;
/** Per message of the current shard: its adjacent-word-pair filter (empty = unknown, body truncated). */
let pairFilters = new Map<number, Uint8Array>();
let first = 0;
let last = 0;
let count = 0;
/** The posting blob's buffer, kept from shard to shard (it grows to the largest shard's lists once). */
const lists = new ByteWriter();

function add(doc: IndexDoc & { truncated: boolean }): void {
  builder ??= new ShardBuilder();
  if (count === 0) first = doc.id;
  const { truncated, ...fields } = doc;
  builder.add(fields);
  // No filter ("unknown": always verified) where attachment text is indexed: its pairs would make the
  // filter large (up to 64 KiB a message), and a phrase may sit in an attached document. Attachment text
  // without a word (documents with no text: images, archives) holds no phrase, so the filter stands: it was
  // left out for every message with an attachment (at 100k, 3,472 of `"second tour"`'s 3,901 candidates).
  pairFilters.set(doc.id, truncated || holdsWord(doc.attachment) ? new Uint8Array(0) : buildPairFilter(pairHashes(`${doc.subject}\n${doc.body}`)));
  last = doc.id;
  count++;
}

function write(sealed: boolean): ShardWritten {
  const file = shardFileName(seq);
  const dir = path.join(caseDir, INDEX_DIR);
  mkdirSync(dir, { recursive: true });
  const { parts, bytes, checksum } = encodeShardParts(builder!.build(), pairFilters, { caseId, seq, firstId: first, lastId: last, docs: count }, lists);
  const tmp = path.join(dir, `${file}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    for (const part of parts) writeFileSync(fd, part);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path.join(dir, file)); // a shard file is complete or absent, never half-written
  rmSync(path.join(dir, file.replace(/\.bin$/, '.json')), { force: true }); // a legacy JSON shard it replaces
  return { type: 'shard', seq, file, firstId: first, lastId: last, docs: count, sealed, bytes, checksum };
}

parentPort!.on('message', (req: IndexRequest) => {
  try {
    if (req.type === 'init') {
      caseDir = req.caseDir;
      caseId = req.caseId;
      shardSize = req.shardSize;
      sealByOccurrences = req.sealByOccurrences;
      seq = req.nextSeq;
      builder = null;
      pairFilters = new Map();
      count = 0;
    } else if (req.type === 'add') {
      for (const d of req.docs) {
        add(inflateDoc(d));
        if (count >= shardSize || (sealByOccurrences && builder!.full)) {
          parentPort!.postMessage(write(true) satisfies IndexReply);
          seq++;
          builder = new ShardBuilder(builder!); // the next shard starts with this one's token analysis
          pairFilters = new Map();
          count = 0;
        }
      }
      parentPort!.postMessage({ type: 'added' } satisfies IndexReply);
    } else if (req.type === 'flush') {
      // The tail shard is rewritten on every flush until it fills up and is sealed; the builder is kept.
      if (count > 0) parentPort!.postMessage(write(false) satisfies IndexReply);
      parentPort!.postMessage({ type: 'flushed' } satisfies IndexReply);
    }
  } catch (err) {
    parentPort!.postMessage({ type: 'error', message: String((err as Error)?.stack ?? err) } satisfies IndexReply);
  }
});
reportHeap('index');
