import { readFileSync, statSync } from 'node:fs';
import type Database from 'better-sqlite3';
import type { BinaryShard } from './binary-shard';
import { CaseTerms, caseTermsPath } from './case-terms';
import { LeanShard } from './lean-shard';
import { caseIdOf, openCheckedShard, ShardDamaged, type ShardRecord } from './shard-check';
import { shardPath } from './shard-files';

export interface ShardInfo extends ShardRecord {
  file: string;
}

/** A shard that could not be used, and why (shown to the user; `casefile index` rebuilds it). */
export interface ShardProblem {
  seq: number;
  firstId: number;
  lastId: number;
  reason: string;
}

/** Memory a loaded legacy JSON shard takes per byte of its file (289 MiB of shard JSON → ≈2.3 GiB RSS). */
const JSON_MEMORY_PER_FILE_BYTE = 8;
/** What a shard holds in memory once loaded (binary shards say so themselves: file-backed ones hold little). */
const memoryOfIndex = (s: ShardInfo, index: ShardIndex) => (index instanceof LeanShard ? s.bytes * JSON_MEMORY_PER_FILE_BYTE : index.memoryBytes * 1.2);

export type ShardIndex = BinaryShard | LeanShard;
export const DEFAULT_SHARD_BUDGET = 3 * 1024 * 1024 * 1024;

/**
 * The case's index shards, loaded on demand and kept while they fit a memory budget (least recently
 * used shards are dropped beyond it). A case whose shards fit is fully resident: every query is served
 * from memory. A larger case (≈1M messages) still answers every query, loading shards as it goes, with
 * memory bounded by the budget instead of by the archive.
 */
export class ShardCache {
  shards: ShardInfo[] = [];
  private readonly loaded = new Map<number, { index: ShardIndex; memory: number }>();
  /** Shards found missing or damaged, by seq (until the list is read again). */
  private readonly bad = new Map<number, ShardProblem>();
  private residentBytes = 0;
  private readonly caseId: string;
  private signature = '';
  /** The case's term dictionary (case-terms.ts) and the shards it stands for; undefined: not opened yet, null: none usable. */
  private terms: { dict: CaseTerms; covered: Map<number, number> } | null | undefined;
  private termsStamp = '';

  constructor(
    private readonly db: Database.Database,
    private readonly caseDir: string,
    private readonly budgetBytes = DEFAULT_SHARD_BUDGET,
  ) {
    this.caseId = caseIdOf(db);
    this.refresh();
  }

  /**
   * Read the shard list again when it changed (another process — a CLI ingest or `casefile index` —
   * wrote shards into this case). Shards whose record is unchanged stay loaded. True when it changed.
   */
  refresh(): boolean {
    const stamp = fileStamp(caseTermsPath(this.caseDir));
    if (stamp !== this.termsStamp) {
      this.termsStamp = stamp;
      this.closeCaseTerms(); // rewritten by another process: opened again when next needed
    }
    const rows = this.db.prepare('SELECT seq, file, first_id, last_id, docs, bytes, checksum FROM index_shards ORDER BY seq').all() as any[];
    const signature = rows.map((r) => `${r.seq}:${r.file}:${r.last_id}:${r.bytes}:${r.checksum}`).join(',');
    if (signature === this.signature) return false;
    this.signature = signature;
    this.closeCaseTerms(); // which shards it stands for is worked out again
    const before = new Map(this.shards.map((s) => [s.seq, s]));
    this.shards = rows.map((r) => ({ seq: r.seq, file: r.file, firstId: r.first_id, lastId: r.last_id, docs: r.docs, bytes: r.bytes, checksum: r.checksum ?? null }));
    const now = new Map(this.shards.map((s) => [s.seq, s]));
    for (const [seq, old] of before) {
      const cur = now.get(seq);
      if (cur && cur.file === old.file && cur.bytes === old.bytes && cur.checksum === old.checksum && cur.lastId === old.lastId) continue;
      this.drop(seq);
    }
    this.bad.clear();
    return true;
  }

  /** The case's term dictionary with the shards (by seq → its position there) it stands for; null when there is none to use. */
  caseTerms(): { dict: CaseTerms; covered: Map<number, number> } | null {
    if (this.terms === undefined) {
      const dict = CaseTerms.open(this.caseDir, this.caseId);
      const covered = dict?.coverage(this.shards);
      this.terms = dict && covered!.size > 0 ? { dict, covered: covered! } : null;
      if (dict && !this.terms) dict.close();
    }
    return this.terms;
  }

  /** The dictionary was found damaged: every shard is searched on its own until its file changes. */
  dropCaseTerms(): void {
    this.closeCaseTerms();
    this.terms = null;
  }

  private closeCaseTerms(): void {
    this.terms?.dict.close();
    this.terms = undefined;
  }

  /** Shards that could not be used since the list was last read. */
  get problems(): ShardProblem[] {
    return [...this.bad.values()];
  }

  /** Load as many shards as the budget holds (called when a case is opened). */
  warm(): void {
    for (const s of this.shards) {
      if (this.residentBytes >= this.budgetBytes) break;
      this.get(s);
    }
  }

  /** Set a shard aside for the rest of this list (a block found damaged while a query read it). */
  markBad(seq: number, reason: string): void {
    const s = this.shards.find((x) => x.seq === seq);
    if (!s) return;
    this.drop(seq);
    this.bad.set(seq, { seq, firstId: s.firstId, lastId: s.lastId, reason });
  }

  private drop(seq: number): void {
    const entry = this.loaded.get(seq);
    if (!entry) return;
    this.loaded.delete(seq);
    this.residentBytes -= entry.memory;
    if (!(entry.index instanceof LeanShard)) entry.index.close();
  }

  /** The shard, loaded; null when its file is missing or damaged (recorded in `problems`). */
  get(shard: ShardInfo): ShardIndex | null {
    const hit = this.loaded.get(shard.seq);
    if (hit) {
      this.loaded.delete(shard.seq);
      this.loaded.set(shard.seq, hit);
      return hit.index;
    }
    if (this.bad.has(shard.seq)) return null;
    let index: ShardIndex;
    try {
      const file = shardPath(this.caseDir, shard.file);
      index = file.endsWith('.json') ? new LeanShard(JSON.parse(readFileSync(file, 'utf8'))) : openCheckedShard(file, shard, this.caseId);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const reason = code === 'ENOENT' ? 'its file is missing' : err instanceof ShardDamaged ? (err as Error).message : `it cannot be read (${code ?? (err as Error).message})`;
      this.bad.set(shard.seq, { seq: shard.seq, firstId: shard.firstId, lastId: shard.lastId, reason });
      return null;
    }
    const memory = memoryOfIndex(shard, index);
    this.residentBytes += memory;
    this.loaded.set(shard.seq, { index, memory });
    while (this.residentBytes > this.budgetBytes && this.loaded.size > 1) this.drop(this.loaded.keys().next().value!);
    return index;
  }

  /** The shard whose id range holds message `id`, if any. */
  shardOf(id: number): ShardInfo | undefined {
    let lo = 0;
    let hi = this.shards.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = this.shards[mid]!;
      if (id < s.firstId) hi = mid - 1;
      else if (id > s.lastId) lo = mid + 1;
      else return s;
    }
    return undefined;
  }

  get residentShards(): number {
    return this.loaded.size;
  }
}

/** Identity of a file's current version ('' when absent): another process replaces it by renaming. */
function fileStamp(file: string): string {
  try {
    const st = statSync(file);
    return `${st.ino}:${st.size}:${st.mtimeMs}`;
  } catch {
    return '';
  }
}
