import { createHash } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import type { VerifyReport } from '../../../shared/types';
import { unquoteMboxrd } from '../parse/mboxrd-unquote';
import { MANIFEST, MANIFEST_SHA, sha256Hex, type Manifest } from './manifest';
import { listFiles } from './zip';

/** Read access to an export, whether a folder or a .zip. */
interface ExportTree {
  files(): Promise<string[]>;
  read(rel: string): Promise<Buffer>;
  sha256(rel: string): Promise<string>;
  close(): void;
}

/**
 * Re-hash an export against its manifest: manifest.json against manifest.sha256, then every listed file;
 * report missing, extra and altered files, and for an mbox which messages inside it no longer match
 * their original bytes. Never modifies anything.
 */
export async function verifyExport(target: string): Promise<VerifyReport> {
  const abs = path.resolve(target);
  const report: VerifyReport = { ok: false, path: abs, manifest: 'missing', checked: 0, missing: [], extra: [], altered: [], alteredMessages: [] };
  const tree = statSync(abs).isDirectory() ? folderTree(abs) : await zipTree(abs);
  try {
    const present = new Set(await tree.files());
    if (!present.has(MANIFEST) || !present.has(MANIFEST_SHA)) {
      report.missing.push(...[MANIFEST, MANIFEST_SHA].filter((f) => !present.has(f)));
      return report;
    }
    const manifestBytes = await tree.read(MANIFEST);
    const recorded = (await tree.read(MANIFEST_SHA)).toString('utf8').trim().split(/\s+/)[0];
    report.manifest = sha256Hex(manifestBytes) === recorded ? 'ok' : 'altered';
    if (report.manifest === 'altered') report.altered.push(MANIFEST);
    let manifest: Manifest;
    try {
      manifest = JSON.parse(manifestBytes.toString('utf8')) as Manifest;
    } catch {
      return report;
    }
    const listed = new Set([MANIFEST, MANIFEST_SHA, ...manifest.files.map((f) => f.path)]);
    for (const f of manifest.files) {
      report.checked++;
      if (!present.has(f.path)) report.missing.push(f.path);
      else if ((await tree.sha256(f.path)) !== f.sha256) report.altered.push(f.path);
    }
    report.extra = [...present].filter((p) => !listed.has(p)).sort();
    const mbox = manifest.files.find((f) => f.path === 'messages.mbox');
    if (mbox && report.altered.includes(mbox.path)) report.alteredMessages = await alteredMboxMessages(tree, manifest);
    report.ok = report.manifest === 'ok' && report.missing.length === 0 && report.extra.length === 0 && report.altered.length === 0;
    return report;
  } finally {
    tree.close();
  }
}

/** Which messages in an altered messages.mbox no longer un-quote to their original bytes. */
async function alteredMboxMessages(tree: ExportTree, manifest: Manifest): Promise<{ id: number; file: string }[]> {
  const mbox = await tree.read('messages.mbox');
  const bad: { id: number; file: string }[] = [];
  for (const m of manifest.messages) {
    if (!m.mbox) continue;
    let bytes = mbox.subarray(m.mbox.offset, m.mbox.offset + m.mbox.length);
    if (m.mbox.quoted) bytes = unquoteMboxrd(bytes);
    if (m.mbox.appendedNewline) bytes = bytes.subarray(0, -1);
    if (sha256Hex(bytes) !== m.sha256) bad.push({ id: m.id, file: 'messages.mbox' });
  }
  return bad;
}

function folderTree(root: string): ExportTree {
  const abs = (rel: string) => path.join(root, ...rel.split('/'));
  return {
    files: () => listFiles(root),
    read: (rel) => readFile(abs(rel)),
    sha256: (rel) => hashStream(createReadStream(abs(rel))),
    close: () => {},
  };
}

async function zipTree(file: string): Promise<ExportTree> {
  if (!existsSync(file)) throw new Error(`${file} does not exist`);
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => yauzl.open(file, { lazyEntries: true, autoClose: false }, (err, z) => (err ? reject(err) : resolve(z!))));
  const entries = new Map<string, yauzl.Entry>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (e: yauzl.Entry) => {
      if (!e.fileName.endsWith('/')) entries.set(e.fileName, e);
      zip.readEntry();
    });
    zip.once('end', resolve);
    zip.once('error', reject);
    zip.readEntry();
  });
  const open = (rel: string) =>
    new Promise<Readable>((resolve, reject) => zip.openReadStream(entries.get(rel)!, (err, s) => (err ? reject(err) : resolve(s!))));
  return {
    files: async () => [...entries.keys()].sort(),
    read: async (rel) => {
      const chunks: Buffer[] = [];
      for await (const c of await open(rel)) chunks.push(c as Buffer);
      return Buffer.concat(chunks);
    },
    sha256: async (rel) => hashStream(await open(rel)),
    close: () => zip.close(),
  };
}

async function hashStream(s: Readable): Promise<string> {
  const h = createHash('sha256');
  for await (const c of s) h.update(c as Buffer);
  return h.digest('hex');
}
