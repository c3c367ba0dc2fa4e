import { PSTAttachment, PSTFile, type PSTFolder, type PSTMessage } from 'pst-extractor';
import { PSTNodeInputStream } from 'pst-extractor/dist/PSTNodeInputStream.class';
import { PSTTableBC } from 'pst-extractor/dist/PSTTableBC.class';
import { PSTUtil } from 'pst-extractor/dist/PSTUtil.class';
import { cleanAddress, MAX_ATTACHMENT_BYTES, MAX_EMBED_DEPTH, type OutlookAddress, type OutlookAttachment, type OutlookItem } from './outlook-item';
import { quietly } from './quietly';

/**
 * Items of a PST/OST file, read with pst-extractor. Memory: pst-extractor reads the file through a file
 * descriptor with positional reads (it never loads the file), opened read-only; it holds the descriptor
 * tree (a few dozen bytes per item) and one item at a time here. Each item's attachments are read whole,
 * up to MAX_ATTACHMENT_BYTES each (larger ones are left out and recorded as a problem).
 */

export interface PstEntry {
  /** The item's descriptor node id: stable within the file, the item's address for re-reading. */
  nodeId: number;
  folderPath: string;
  item: OutlookItem | null;
  /** Why the item could not be read (it is still listed). */
  error: string | null;
}

export class PstReader {
  private constructor(private readonly file: PSTFile) {}

  static open(path: string): PstReader {
    return new PstReader(quietly(() => new PSTFile(path)));
  }

  /** A PST held in memory (an entry of an archive, bounded by the caller). */
  static fromBuffer(bytes: Buffer): PstReader {
    return new PstReader(quietly(() => new PSTFile(bytes)));
  }

  close(): void {
    quietly(() => this.file.close());
  }

  /** Every message-like item, folder by folder (depth first, in the file's order); folder errors are listed too. */
  *entries(): Generator<PstEntry> {
    const stack: { folder: PSTFolder; path: string }[] = [{ folder: quietly(() => this.file.getRootFolder()), path: '' }];
    while (stack.length > 0) {
      const { folder, path } = stack.pop()!;
      if (folder.contentCount > 0) {
        for (;;) {
          let child: PSTMessage | null;
          try {
            child = quietly(() => folder.getNextChild());
          } catch (err) {
            yield { nodeId: -1, folderPath: path, item: null, error: `folder ${path || '/'}: ${(err as Error).message}` };
            break;
          }
          if (!child) break;
          yield this.entryOf(child, path);
        }
      }
      let subs: PSTFolder[] = [];
      try {
        subs = quietly(() => folder.getSubFolders());
      } catch (err) {
        yield { nodeId: -1, folderPath: path, item: null, error: `subfolders of ${path || '/'}: ${(err as Error).message}` };
      }
      for (const sub of [...subs].reverse()) stack.push({ folder: sub, path: `${path}/${sub.displayName}` });
    }
  }

  /** One item by node id (to re-encode it from the evidence), with its folder path. */
  item(nodeId: number): { item: OutlookItem; folderPath: string } {
    const root = quietly(() => this.file.getRootFolder());
    const LongCtor = root.descriptorNodeId.constructor as unknown as { fromNumber(n: number): unknown };
    const node = quietly(() => this.file.getDescriptorIndexNode(LongCtor.fromNumber(nodeId) as never));
    const message = quietly(() => PSTUtil.detectAndLoadPSTObject(this.file, node)) as PSTMessage;
    return { item: quietly(() => readMessage(message, 0)), folderPath: this.folderPath(node.parentDescriptorIndexIdentifier) };
  }

  private folderPath(parentId: number): string {
    const names: string[] = [];
    const root = quietly(() => this.file.getRootFolder());
    const rootId = root.descriptorNodeId.toNumber();
    const LongCtor = root.descriptorNodeId.constructor as unknown as { fromNumber(n: number): unknown };
    for (let id = parentId, guard = 0; id && id !== rootId && guard < 64; guard++) {
      const node = quietly(() => this.file.getDescriptorIndexNode(LongCtor.fromNumber(id) as never));
      const folder = quietly(() => PSTUtil.detectAndLoadPSTObject(this.file, node)) as PSTFolder;
      names.unshift(folder.displayName);
      if (node.parentDescriptorIndexIdentifier === id) break;
      id = node.parentDescriptorIndexIdentifier;
    }
    return names.map((n) => `/${n}`).join('');
  }

  private entryOf(child: PSTMessage, path: string): PstEntry {
    const nodeId = child.descriptorNodeId.toNumber();
    try {
      return { nodeId, folderPath: path, item: quietly(() => readMessage(child, 0)), error: null };
    } catch (err) {
      return { nodeId, folderPath: path, item: null, error: (err as Error).message };
    }
  }
}

function readMessage(m: PSTMessage, depth: number): OutlookItem {
  const problems: OutlookItem['problems'] = [];
  const recipients: { type: number; addr: OutlookAddress }[] = [];
  for (let i = 0; i < m.numberOfRecipients; i++) {
    const r = m.getRecipient(i);
    if (!r) continue;
    // Exchange (EX) recipients carry an X.500 path as address; the SMTP address is kept separately.
    const addr = cleanAddress(r.displayName, r.smtpAddress || r.emailAddress);
    if (addr) recipients.push({ type: r.recipientType, addr });
  }
  const senderSmtp = m.senderAddrtype === 'EX' ? m.sentRepresentingEmailAddress || m.senderEmailAddress : m.senderEmailAddress;
  const attachments: OutlookAttachment[] = [];
  for (let i = 0; i < m.numberOfAttachments; i++) {
    const a = readAttachment(m, m.getAttachment(i), depth, problems);
    if (a) attachments.push(a);
  }
  return {
    messageClass: m.messageClass,
    transportHeaders: m.transportMessageHeaders || null,
    subject: m.subject,
    from: cleanAddress(m.senderName || m.sentRepresentingName, senderSmtp),
    to: recipients.filter((r) => r.type === 1).map((r) => r.addr),
    cc: recipients.filter((r) => r.type === 2).map((r) => r.addr),
    bcc: recipients.filter((r) => r.type === 3).map((r) => r.addr),
    date: m.clientSubmitTime ?? m.messageDeliveryTime ?? null,
    messageId: m.internetMessageId || null,
    inReplyTo: m.inReplyToId || null,
    text: m.body || null,
    html: m.bodyHTML || null,
    rtf: m.body || m.bodyHTML ? null : m.bodyRTF || null,
    attachments,
    problems,
  };
}

function readAttachment(parent: PSTMessage, a: PSTAttachment, depth: number, problems: OutlookItem['problems']): OutlookAttachment | null {
  const filename = a.longFilename || a.filename || a.displayName || 'attachment';
  const base = { filename, contentType: a.mimeTag || 'application/octet-stream', contentId: a.contentId || null };
  if (a.attachMethod === PSTAttachment.ATTACHMENT_METHOD_EMBEDDED) {
    let embedded: PSTMessage | null = null;
    try {
      // Ours first: the library getter alters the attachment's local descriptors before failing.
      embedded = embeddedMessage(parent, a) ?? a.embeddedPSTMessage;
    } catch {
      embedded = null;
    }
    if (!embedded || depth + 1 > MAX_EMBED_DEPTH) {
      problems.push({ code: 'outlook-embedded-unreadable', message: `embedded item "${filename}" could not be read${depth + 1 > MAX_EMBED_DEPTH ? ' (nested too deep)' : ''}` });
      return null;
    }
    return { ...base, filename: filename.endsWith('.msg') ? filename : `${embedded.subject || filename}.msg`, content: readMessage(embedded, depth + 1) };
  }
  const stream = a.fileInputStream;
  if (!stream) return { ...base, content: Buffer.alloc(0) };
  const size = stream.length.toNumber();
  if (size > MAX_ATTACHMENT_BYTES) {
    problems.push({ code: 'outlook-attachment-too-large', message: `attachment "${filename}" (${size} bytes) is larger than ${MAX_ATTACHMENT_BYTES} bytes and was left out` });
    return null;
  }
  const content = Buffer.alloc(size);
  stream.readCompletely(content);
  return { ...base, content };
}

/**
 * pst-extractor 1.12 finds an embedded message's data but returns nothing when the attachment has no
 * descriptor node of its own (always, for attachments); this does the same steps with the parent message's
 * node, as java-libpst does. Private fields are reached through `any`: pinned to pst-extractor 1.x.
 */
function embeddedMessage(parent: PSTMessage, attachment: PSTAttachment): PSTMessage | null {
  const a = attachment as any;
  const p = parent as any;
  const entry = a.pstTableItems?.get(0x3701);
  if (!entry || entry.entryValueType !== 0x000d || !a.localDescriptorItems) return null;
  const nested = a.localDescriptorItems.get(entry.data.readUInt32LE(0));
  if (!nested) return null;
  const file = a.pstFile as PSTFile;
  const LongCtor = parent.descriptorNodeId.constructor as unknown as { fromNumber(n: number): unknown };
  const local = nested.subNodeOffsetIndexIdentifier > 0 ? file.getPSTDescriptorItems(LongCtor.fromNumber(nested.subNodeOffsetIndexIdentifier) as never) : a.localDescriptorItems;
  const table = new PSTTableBC(new PSTNodeInputStream(file, nested));
  return PSTUtil.createAppropriatePSTMessageObject(file, p.descriptorIndexNode, table, local) as PSTMessage;
}
