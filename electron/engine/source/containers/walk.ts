/**
 * Containers: archives read in place, entry by entry, as if their contents were on disk.
 *
 * Design (the interface other parts plug into):
 * - `walkContainer(path, format, options)` yields, in archive order, one event per entry of the archive
 *   and of every archive nested in it (to `maxDepth`):
 *     `leaf`      a file's bytes, read once: its chain of names from the outermost archive down
 *                 (`['mail.tar', 'alice/inbox.mbox']` for an mbox inside a tar inside the evidence
 *                 file), size, SHA-256, its first bytes for sniffing, and the bytes themselves, in
 *                 memory (≤ `inMemoryBytes`) or spooled into the case's temp area (`spoolDir`);
 *     `container` a nested archive that is being walked (its own entries follow);
 *     `skipped`   an entry without content (link, device), with the reason;
 *     `problem`   an encrypted, damaged, oversized entry, a bomb or quine: a clear message; the walk
 *                 goes on with the next entry unless the whole container had to stop (chain = where).
 *   The ingest pipeline decides what a leaf is (mbox, eml, Maildir file, or a document) exactly as it
 *   does for files in a folder, and records it with its chain: provenance is
 *   (container path, container SHA-256) → chain → offset/length inside the leaf → SHA-256.
 * - `readEntrySpan(path, chain, offset, length)` (reread.ts) re-reads bytes through the same chain,
 *   for `show --raw` and exports, which then check the recorded SHA-256.
 * - `options.skip(chain)` lets a resumed ingest pass over leaves it already stored (a zip skips them
 *   without decompressing; a tar stream has to read past them).
 * - Nothing is ever written beside the evidence. Nested archives are opened from memory (bounded by
 *   `nestedBytes`); a large mail leaf goes to `spoolDir`, which the caller places inside the case and
 *   removes once the leaf is stored.
 */
import type { ArchiveInput, ArchiveReader } from './archive';
import { peek } from './byte-streams';
import { isZipDocument, sniffContainer, type ContainerFormat } from './formats';
import { ContainerError, DEFAULT_LIMITS, type ContainerLimits } from './limits';
import { ExpansionBudget, materialize, type Materialized } from './materialize';
import { openSevenZip } from './sevenzip';
import { openTarFamily } from './tar';
import { openZip } from './zip';

export type WalkEvent =
  | { type: 'leaf'; chain: string[]; head: Buffer; bytes: Materialized }
  | { type: 'container'; chain: string[]; format: ContainerFormat; size: number; sha256: string }
  | { type: 'skipped'; chain: string[]; reason: string }
  | { type: 'problem'; chain: string[]; code: ContainerError['code']; message: string };

export interface WalkOptions {
  /** SHA-256 and size of the evidence file: the bomb bound and quine detection need them. */
  sha256: string;
  size: number;
  spoolDir: string | null;
  password?: string;
  limits?: Partial<ContainerLimits>;
  skip?: (chain: string[]) => boolean;
}

/** Leaves come with this many first bytes: enough for archive magic and for file-type's sniffing. */
const LEAF_HEAD = 4100;

interface Walk {
  limits: ContainerLimits;
  budget: ExpansionBudget;
  opts: WalkOptions;
}

export async function* walkContainer(path: string, format: ContainerFormat, opts: WalkOptions): AsyncGenerator<WalkEvent> {
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const budget = new ExpansionBudget(limits.maxExpandRatio * opts.size + limits.expandSlack, limits.maxEntries, path);
  yield* walkInput({ path }, format, [], new Set([opts.sha256]), 1, { limits, budget, opts });
}

export function openArchive(input: ArchiveInput, format: ContainerFormat, limits: ContainerLimits, password?: string): Promise<ArchiveReader> {
  switch (format) {
    case 'zip':
      // yauzl cannot decrypt: with a password, zips go through 7-Zip, which can.
      return password ? openSevenZip(input, { batchBytes: limits.nestedBytes, password, maxEntries: limits.maxEntries }) : openZip(input, limits.maxEntries);
    case 'tar':
    case 'gzip':
    case 'bzip2':
      return openTarFamily(input, format);
    case '7z':
    case 'rar':
      return openSevenZip(input, { batchBytes: limits.nestedBytes, password, maxEntries: limits.maxEntries });
  }
}

async function* walkInput(
  input: ArchiveInput,
  format: ContainerFormat,
  prefix: string[],
  ancestors: Set<string>,
  depth: number,
  w: Walk,
): AsyncGenerator<WalkEvent> {
  let reader: ArchiveReader;
  try {
    reader = await openArchive(input, format, w.limits, w.opts.password);
  } catch (err) {
    yield problem(prefix, err);
    return;
  }
  try {
    for await (const entry of reader.entries()) {
      if (entry.type === 'directory') continue;
      const chain = [...prefix, entry.name];
      w.budget.addEntry();
      if (entry.type !== 'file') {
        yield { type: 'skipped', chain, reason: `${entry.type} entry: no content of its own` };
        continue;
      }
      if (entry.encrypted) {
        yield { type: 'problem', chain, code: 'encrypted', message: `${chain.join(' → ')} is encrypted: not read (give the password with --password)` };
        continue;
      }
      if (w.opts.skip?.(chain)) continue;
      try {
        const { head, rest } = await peek(await entry.open(), LEAF_HEAD);
        const sniffed = sniffContainer(head);
        const inner = sniffed === 'zip' && isZipDocument(entry.name, head) ? null : sniffed;
        if (!inner) {
          const bytes = await materialize(rest, { memoryCap: w.limits.inMemoryBytes, spoolDir: w.opts.spoolDir, budget: w.budget, label: chain.join(' → ') });
          yield { type: 'leaf', chain, head, bytes };
          continue;
        }
        if (depth >= w.limits.maxDepth) {
          yield { type: 'problem', chain, code: 'bomb', message: `${chain.join(' → ')}: archives nested deeper than ${w.limits.maxDepth} levels; not opened` };
          continue;
        }
        const bytes = await materialize(rest, { memoryCap: w.limits.nestedBytes, spoolDir: null, budget: w.budget, label: chain.join(' → ') });
        if (ancestors.has(bytes.sha256)) {
          yield { type: 'problem', chain, code: 'bomb', message: `${chain.join(' → ')} is a copy of an archive that contains it (a quine); not opened again` };
          continue;
        }
        yield { type: 'container', chain, format: inner, size: bytes.size, sha256: bytes.sha256 };
        yield* walkInput({ buffer: bytes.buffer!, name: entry.name }, inner, chain, new Set([...ancestors, bytes.sha256]), depth + 1, w);
      } catch (err) {
        if (err instanceof ContainerError && err.fatal) throw err;
        yield problem(chain, err);
      }
    }
  } catch (err) {
    if (err instanceof ContainerError && err.fatal && prefix.length > 0) throw err;
    yield problem(prefix, err);
  } finally {
    await reader.close().catch(() => {});
  }
}

function problem(chain: string[], err: unknown): WalkEvent {
  const e = err instanceof ContainerError ? err : new ContainerError('corrupt', (err as Error)?.message ?? String(err));
  const where = chain.length > 0 ? `${chain.join(' → ')}: ` : '';
  return { type: 'problem', chain, code: e.code, message: e.message.startsWith(where) ? e.message : `${where}${e.message}` };
}
