import { openEvidence } from '../positional-reader';
import { itemToEml } from './item-to-eml';
import { MAX_MSG_BYTES, readMsg } from './msg-reader';
import type { OutlookItem } from './outlook-item';
import { outlookFormatOf, type OutlookFormat } from './outlook-format';
import { PstReader } from './pst-reader';

/**
 * What "original bytes" are for Outlook items. A PST/OST item or a .msg file holds properties, not a MIME
 * message, so Casefile's message bytes are the item re-encoded as .eml, deterministically (item-to-eml.ts):
 * the location records (evidence file, item node id — 0 for a .msg —, length and SHA-256 of the .eml), and
 * re-reading re-encodes the item from the evidence and checks that hash. The evidence itself (the PST, the
 * .msg file) is never changed and its SHA-256 is recorded with the source.
 */

export async function outlookFormatOfFile(path: string): Promise<OutlookFormat | null> {
  const fd = await openEvidence(path);
  try {
    const head = Buffer.alloc(8);
    const { bytesRead } = await fd.read(head, 0, 8, 0);
    return outlookFormatOf(head.subarray(0, bytesRead));
  } finally {
    await fd.close();
  }
}

/**
 * The deterministic .eml of one PST item. An unreadable item gets a fixed stub that says so (the reason is
 * kept with the message's errors), so re-reading it gives the same bytes.
 */
export function pstItemEml(nodeId: number, folderPath: string, item: OutlookItem | null): Buffer {
  if (!item) return itemToEml(UNREADABLE, `pst item ${nodeId} (unreadable)`);
  return itemToEml(item, `pst item ${nodeId} in folder "${folderPath}"`);
}

export function msgEml(item: OutlookItem): Buffer {
  return itemToEml(item, 'msg file');
}

const UNREADABLE: OutlookItem = {
  messageClass: '',
  transportHeaders: null,
  subject: '(unreadable Outlook item)',
  from: null,
  to: [],
  cc: [],
  bcc: [],
  date: null,
  messageId: null,
  inReplyTo: null,
  text: 'Casefile could not read this Outlook item; the reason is in the message errors.\n',
  html: null,
  rtf: null,
  attachments: [],
  problems: [],
};

/** One PST kept open between re-reads (an export re-encodes many items of the same file); closed when idle. */
let cached: { path: string; reader: PstReader; timer: NodeJS.Timeout | null } | null = null;

async function pstReader(path: string, load?: () => Promise<Buffer>): Promise<PstReader> {
  if (cached?.path !== path) {
    closeCached();
    cached = { path, reader: load ? PstReader.fromBuffer(await load()) : PstReader.open(path), timer: null };
  }
  if (cached.timer) clearTimeout(cached.timer);
  cached.timer = setTimeout(closeCached, 30_000).unref();
  return cached.reader;
}

function closeCached(): void {
  if (!cached) return;
  if (cached.timer) clearTimeout(cached.timer);
  cached.reader.close();
  cached = null;
}

/**
 * Re-encode the item a location points at, from the evidence: the file at `path`, or the bytes `load`
 * gives (a PST or .msg inside an archive, re-read through its chain; `path` then only names it).
 */
export async function readOutlookOriginal(format: OutlookFormat, path: string, nodeId: number, load?: () => Promise<Buffer>): Promise<Buffer> {
  if (format === 'msg') return msgEml(readMsg(load ? await load() : await readWholeEvidence(path)));
  const reader = await pstReader(path, load);
  let read: { item: OutlookItem; folderPath: string } | null = null;
  try {
    read = reader.item(nodeId);
  } catch {
    read = null;
  }
  return pstItemEml(nodeId, read?.folderPath ?? '', read?.item ?? null);
}

/** A .msg file's bytes (read-only, bounded by MAX_MSG_BYTES before reading). */
export async function readWholeEvidence(path: string): Promise<Buffer> {
  const fd = await openEvidence(path);
  try {
    const { size } = await fd.stat();
    if (size > MAX_MSG_BYTES) throw new Error(`.msg file of ${size} bytes is larger than the ${MAX_MSG_BYTES}-byte limit`);
    const buf = Buffer.alloc(size);
    let filled = 0;
    while (filled < size) {
      const { bytesRead } = await fd.read(buf, filled, size - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buf.subarray(0, filled);
  } finally {
    await fd.close();
  }
}
