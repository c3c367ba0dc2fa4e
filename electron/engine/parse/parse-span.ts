import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { EvidenceFdCache } from '../source/evidence-fd-cache';
import { openEvidence } from '../source/positional-reader';
import { MboxrdUnquoteStream, unquoteMboxrd } from './mboxrd-unquote';
import { parseMessage } from './parse-message';
import type { ParsedRecord } from './parsed-record';

export interface SpanJob {
  path: string;
  offset: number;
  length: number;
  quotedFrom: boolean;
  /** The message's bytes themselves, when they come out of an archive (then `path` only names them). */
  bytes?: Uint8Array;
}

/** Messages up to this size are read into memory; larger ones are streamed through the parser. */
const IN_MEMORY_LIMIT = 32 * 1024 * 1024;

const fdCache = new EvidenceFdCache();

/** Read one message's bytes from the evidence (read-only), hash them, parse them. */
export async function parseSpan(job: SpanJob): Promise<ParsedRecord> {
  if (job.length <= IN_MEMORY_LIMIT || job.bytes) {
    const raw = job.bytes ? Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength) : fdCache.read(job.path, job.offset, job.length);
    const sha256 = createHash('sha256').update(raw).digest('hex');
    const parsed = await parseMessage(job.quotedFrom ? unquoteMboxrd(raw) : raw, raw);
    if (raw.length !== job.length) parsed.errors.push({ code: 'short-read', message: `expected ${job.length} bytes at offset ${job.offset}, read ${raw.length}` });
    return { ...parsed, sha256, length: raw.length };
  }
  return parseLargeSpan(job);
}

async function parseLargeSpan(job: SpanJob): Promise<ParsedRecord> {
  const hash = createHash('sha256');
  let length = 0;
  const fd = await openEvidence(job.path);
  try {
    const source = createReadStream('', { fd: fd.fd, start: job.offset, end: job.offset + job.length - 1, autoClose: false });
    source.on('data', (c) => {
      hash.update(c as Buffer);
      length += (c as Buffer).length;
    });
    const toParser = job.quotedFrom ? source.pipe(new MboxrdUnquoteStream()) : source;
    const head = fdCache.read(job.path, job.offset, Math.min(job.length, 1024 * 1024));
    const parsed = await parseMessage(toParser, head);
    return { ...parsed, sha256: hash.digest('hex'), length };
  } finally {
    await fd.close();
  }
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
