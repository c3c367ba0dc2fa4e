import { createHash } from 'node:crypto';
import { EvidenceFdCache } from '../source/evidence-fd-cache';
import { openEvidence } from '../source/positional-reader';
import { sha256Hex } from '../util/sha256';
import { hashRange } from '../source/span-hash';
import { hasSignatures, unsignedReport } from '../auth/unsigned-report';
import type { AuthReport } from '../../../shared/types';
import { sharedRawHeaders } from './raw-headers';
import { parseMessage } from './parse-message';
import { parserInput, parserInputStream } from './parser-input';
import type { ParsedRecord } from './parsed-record';

export interface SpanJob {
  path: string;
  offset: number;
  length: number;
  quotedFrom: boolean;
  /** Extract attachments as documents (off when retrying a message whose extraction hung). */
  extract?: boolean;
  /**
   * The message's bytes when they are not read from `path` at `offset`: re-encoded Outlook items (`offset` is
   * then the item's id), or a message out of an archive (`path` then only names it).
   */
  bytes?: Uint8Array;
  /** Problems found while producing `bytes`, added to the message's errors. */
  notes?: { code: string; message: string }[];
}

/** Messages up to this size are read into memory; larger ones are streamed through the parser. */
const IN_MEMORY_LIMIT = 32 * 1024 * 1024;

const fdCache = new EvidenceFdCache();

/** Read one message's bytes from the evidence (read-only), hash them, parse them. */
export async function parseSpan(job: SpanJob): Promise<ParsedRecord> {
  if (job.bytes) return { ...(await parseBytes(Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.length), job)), length: job.bytes.length };
  if (job.length <= IN_MEMORY_LIMIT) {
    const raw = fdCache.read(job.path, job.offset, job.length);
    const sha256 = sha256Hex(raw);
    const input = parserInput(raw, job.quotedFrom);
    const parsed = await parseMessage(input, parserInput(raw, false), { extract: job.extract });
    if (raw.length !== job.length) {
      parsed.errors.push({ code: 'short-read', message: `expected ${job.length} bytes at offset ${job.offset}, read ${raw.length}` });
      return { ...parsed, sha256, length: raw.length };
    }
    return { ...parsed, sha256, length: raw.length, auth: keylessAuth(input, parsed) };
  }
  return parseLargeSpan(job);
}

/**
 * The authenticity report of an unsigned message with a Date, from the bytes the pass after ingest would read
 * again (the same un-quoted input, the same date and sender it would find stored). Undated mail is dated by
 * that pass, signed mail needs its keys: both are left to it (undefined), as is any message this fails on.
 */
function keylessAuth(input: Buffer, parsed: { dateMs: number | null; from: { address: string }[] }): AuthReport | undefined {
  if (parsed.dateMs === null) return undefined;
  try {
    const headers = sharedRawHeaders(input).values;
    if (hasSignatures(headers.keys())) return undefined;
    return unsignedReport(headers, { dateMs: parsed.dateMs, fromAddress: parsed.from[0]?.address ?? null });
  } catch {
    return undefined;
  }
}

async function parseBytes(raw: Buffer, job: SpanJob): Promise<ParsedRecord> {
  const sha256 = sha256Hex(raw);
  const parsed = await parseMessage(parserInput(raw, job.quotedFrom), parserInput(raw, false), { extract: job.extract });
  parsed.errors.push(...(job.notes ?? []));
  return { ...parsed, sha256, length: raw.length };
}

async function parseLargeSpan(job: SpanJob): Promise<ParsedRecord> {
  const hash = createHash('sha256');
  let hashed = 0;
  let streaming = true;
  // The stream owns the handle: it is closed when the stream ends or is destroyed.
  const source = (await openEvidence(job.path)).createReadStream({ start: job.offset, end: job.offset + job.length - 1 });
  const closed = new Promise<void>((resolve) => source.once('close', () => resolve()));
  let parsed;
  try {
    source.on('data', (c) => {
      if (!streaming) return;
      hash.update(c as Buffer);
      hashed += (c as Buffer).length;
    });
    const head = fdCache.read(job.path, job.offset, Math.min(job.length, 1024 * 1024));
    const toParser = parserInputStream(source, head, job.quotedFrom);
    parsed = await parseMessage(toParser, parserInput(head, false), { extract: job.extract });
  } finally {
    streaming = false;
    source.destroy();
    await closed;
  }
  // The parser may stop early (a 2 MiB header, a broken first part): the hash and the recorded length
  // must still cover every byte of the span, or different messages would share a "hash".
  hashed += await hashRange(job.path, hash, job.offset + hashed, job.length - hashed);
  if (hashed !== job.length) parsed.errors.push({ code: 'short-read', message: `expected ${job.length} bytes at offset ${job.offset}, read ${hashed}` });
  return { ...parsed, sha256: hash.digest('hex'), length: hashed };
}

export async function readSpan(path: string, offset: number, length: number): Promise<Buffer> {
  const fd = await openEvidence(path);
  try {
    const buf = Buffer.allocUnsafe(length);
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await fd.read(buf, filled, length - filled, offset + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buf.subarray(0, filled);
  } finally {
    await fd.close();
  }
}
