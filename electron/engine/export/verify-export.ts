import { statSync } from 'node:fs';
import path from 'node:path';
import type { VerifyReport } from '../../../shared/types';
import { unquoteMboxrd } from '../parse/mboxrd-unquote';
import { MANIFEST, MANIFEST_SHA, sha256Hex, type Manifest } from './manifest';
import { folderTree, zipTree, type ExportTree } from './export-tree';

/**
 * Re-hash an export against its manifest: manifest.json against manifest.sha256, then every listed file;
 * report missing, extra and altered files, and for an mbox which messages inside it no longer match
 * their original bytes. Anything the manifest does not account for is rejected: unlisted files, symbolic
 * links and special files in a folder, zip directory entries carrying data, duplicate zip entries, a zip
 * comment, and a zip that does not parse (bytes appended or prepended) — a verdict, never a crash.
 * Never modifies anything.
 */
export async function verifyExport(target: string): Promise<VerifyReport> {
  const abs = path.resolve(target);
  const report: VerifyReport = { ok: false, path: abs, manifest: 'missing', checked: 0, missing: [], extra: [], altered: [], alteredMessages: [] };
  let tree: ExportTree;
  try {
    tree = statSync(abs).isDirectory() ? await folderTree(abs) : await zipTree(abs);
  } catch (err) {
    report.error = `not a readable export: ${(err as Error).message}`;
    return report;
  }
  try {
    const present = new Set(tree.files);
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
      else if ((await tree.sha256(f.path).catch(() => null)) !== f.sha256) report.altered.push(f.path);
    }
    const unlistedDirs = tree.dirs.filter((d) => ![...listed].some((f) => f.startsWith(`${d}/`)));
    report.unaccounted = [
      ...[...present].filter((p) => !listed.has(p)).map((p) => ({ path: p, reason: 'file not listed in the manifest' })),
      ...unlistedDirs.map((d) => ({ path: `${d}/`, reason: 'folder holding no listed file' })),
      ...tree.odd,
    ];
    report.extra = report.unaccounted.map((u) => u.path).sort();
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
