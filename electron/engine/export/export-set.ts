import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ExportRequest, ExportResult } from '../../../shared/types';
import { attachmentContents } from '../parse/attachment-content';
import type { Searcher } from '../search/searcher';
import { CaseQueries } from '../store/case-queries';
import type { CaseStore } from '../store/case-store';
import { readVerifiedOriginal } from '../store/original-bytes';
import { SourceRegistry } from '../store/source-registry';
import { resolveSelection, type Restriction } from '../tags/selection';
import { TOOL_VERSION } from '../version';
import { toCsv } from './csv';
import { evidenceAt } from './evidence-destination';
import { exportRecord, type ExportRecord } from './export-record';
import { HashedFile, type WrittenFile } from './hashed-file';
import { MANIFEST, MANIFEST_SHA, manifestBytes, manifestShaLine, sha256Hex, type Manifest } from './manifest';
import { envelopeLine, quoteMboxrd } from './mbox-format';
import { NameAllocator, safeFileName } from './safe-filename';
import { zipFolder } from './zip';

export class ExportError extends Error {
  override name = 'ExportError';
}

export interface ExportProgress {
  done: number;
  total: number;
}

/**
 * Write the messages of a tag or query as mbox, .eml files, CSV or JSON, with a manifest of every file's
 * SHA-256. Built in a sibling temp folder named "<out>.partial-…" and renamed into place only when
 * complete, so a killed export never looks finished. Every message's bytes are re-hashed against the
 * SHA-256 recorded at ingest before they are written.
 */
export async function exportSet(store: CaseStore, searcher: () => Searcher, req: ExportRequest, onProgress?: (p: ExportProgress) => void, restriction?: Restriction): Promise<ExportResult> {
  const out = path.resolve(req.out);
  if (existsSync(out) && !req.overwrite) throw new ExportError(`${out} already exists (choose another --out, or pass --overwrite)`);
  const evidence = evidenceAt(out, new SourceRegistry(store.db).list());
  if (evidence) throw new ExportError(`refusing to write the export inside the evidence (${evidence}); choose a folder outside it`);
  const ids = resolveSelection(store.db, searcher, req.selection, restriction);
  if (ids.length === 0) throw new ExportError(`nothing to export: ${'tag' in req.selection ? `no message has tag "${req.selection.tag}"` : `no message matches "${req.selection.query}"${req.selection.filters ? ' with these filters' : ''}`}`);

  const q = new CaseQueries(store.db);
  const sources = new SourceRegistry(store.db).list();
  const sourceSha = new Map(sources.map((s) => [s.path, s.sha256]));
  const work = `${out}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
  await mkdir(work, { recursive: false });
  try {
    const files: WrittenFile[] = [];
    const records: ExportRecord[] = [];
    const mbox = req.format === 'mbox' ? await HashedFile.create(work, 'messages.mbox') : null;
    const emlNames = new NameAllocator();
    for (const [i, id] of ids.entries()) {
      const msg = q.message(id)!;
      const { bytes, location } = await readVerifiedOriginal(q, id);
      const rec = exportRecord(msg, location, sourceSha.get(location.path) ?? null);
      if (mbox) {
        const { bytes: quoted, quoted: isQuoted } = quoteMboxrd(bytes);
        const appendedNewline = !quoted.subarray(-1).equals(Buffer.from('\n'));
        await mbox.write(envelopeLine(location.envelope, msg.from[0]?.address ?? null, msg.date ? new Date(msg.date) : null) + '\n');
        rec.mbox = { offset: mbox.position, length: quoted.length, quoted: isQuoted, appendedNewline };
        await mbox.write(quoted);
        await mbox.write(appendedNewline ? '\n\n' : '\n');
      } else if (req.format === 'eml') {
        rec.file = `eml/${emlNames.allocate(`${String(id).padStart(6, '0')}.eml`)}`;
        files.push(await HashedFile.writeWhole(work, rec.file, bytes));
      }
      if (req.attachments && msg.attachments.length > 0) files.push(...(await writeAttachments(work, rec, bytes, location.quotedFrom)));
      records.push(rec);
      onProgress?.({ done: i + 1, total: ids.length });
    }
    if (mbox) files.push(await mbox.close());
    if (req.format === 'csv') files.push(await HashedFile.writeWhole(work, 'messages.csv', toCsv(records, req.csv)));
    if (req.format === 'json') files.push(await HashedFile.writeWhole(work, 'messages.json', JSON.stringify(records, null, 2) + '\n'));

    const manifest: Manifest = {
      format: 'casefile-export',
      version: 1,
      tool: { name: 'casefile', version: TOOL_VERSION },
      createdAt: new Date().toISOString(),
      exportFormat: req.format,
      selection: req.selection,
      case: { dir: store.dir, auditHead: store.audit.head(), auditEntries: store.audit.headCount().entries, messages: q.list(1, 0).total },
      sources: sources.map((s) => ({ path: s.path, bytes: s.bytes, sha256: s.sha256 })),
      files: files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
      messages: records,
    };
    const mBytes = manifestBytes(manifest);
    const manifestSha256 = sha256Hex(mBytes);
    await HashedFile.writeWhole(work, MANIFEST, mBytes);
    await HashedFile.writeWhole(work, MANIFEST_SHA, manifestShaLine(manifestSha256));

    if (req.zip) {
      const zipTemp = `${work}.zip`;
      await zipFolder(work, zipTemp);
      await rm(work, { recursive: true, force: true });
      await putInPlace(zipTemp, out, !!req.overwrite);
    } else {
      await putInPlace(work, out, !!req.overwrite);
    }
    const result: ExportResult = {
      out,
      format: req.format,
      messages: records.length,
      attachments: records.reduce((n, r) => n + r.attachments.filter((a) => a.file).length, 0),
      files: files.length + 2,
      bytes: files.reduce((n, f) => n + f.bytes, 0),
      manifestSha256,
    };
    store.audit.append('export-written', { ...result, selection: req.selection, zip: !!req.zip });
    return result;
  } catch (err) {
    await rm(work, { recursive: true, force: true });
    await rm(`${work}.zip`, { force: true });
    throw err;
  }
}

/** Attachments go to attachments/<message id>/<safe name>; each decoded part is re-hashed against ingest's hash. */
async function writeAttachments(root: string, rec: ExportRecord, raw: Buffer, quotedFrom: boolean): Promise<WrittenFile[]> {
  const parts = await attachmentContents(raw, quotedFrom);
  const names = new NameAllocator();
  const written: WrittenFile[] = [];
  for (const meta of rec.attachments) {
    const part = parts.find((p) => p.index === meta.index);
    if (!part || part.sha256 !== meta.sha256) {
      throw new ExportError(`message ${rec.id}: attachment ${meta.index} (${meta.filename ?? 'unnamed'}) no longer decodes to the SHA-256 recorded at ingest`);
    }
    const name = names.allocate(safeFileName(meta.filename, `attachment-${meta.index + 1}`));
    meta.file = `attachments/${rec.id}/${name}`;
    written.push(await HashedFile.writeWhole(root, meta.file, part.content));
  }
  return written;
}

/** Rename `from` to `to`; with overwrite, the old `to` is moved aside first and removed only after. */
async function putInPlace(from: string, to: string, overwrite: boolean): Promise<void> {
  if (!existsSync(to)) return rename(from, to);
  if (!overwrite) throw new ExportError(`${to} appeared while exporting; left the export at ${from}`);
  const old = `${to}.replaced-${randomBytes(4).toString('hex')}`;
  await rename(to, old);
  await rename(from, to);
  await rm(old, { recursive: true, force: true });
}
