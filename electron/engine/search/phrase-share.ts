import { createRequire } from 'node:module';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Deadline } from './query-cost';
import { PHRASE_HELPER_SOURCE } from './phrase-helper-source';

/**
 * Phrase verification on both cores (issue 15). A phrase of common words has thousands of candidates
 * ("second tour" at 1M messages: 4,731), and reading, inflating and matching their bodies was half of its
 * time, on one core. Above MIN_SHARED candidates a helper thread with its own read-only SQLite connection
 * is started, and both threads take batches of candidates from one shared counter (work sharing: the main
 * thread starts at once, the helper joins when it is up, ≈15–40 ms later). Each batch's answer is written
 * into shared memory; the main thread waits for a batch the helper holds only a short while, then checks
 * it itself. So a helper that fails to start, throws, dies or stalls changes nothing but the time: the
 * answer is the same set either way (test/integration/phrase-paths.test.ts).
 *
 * The helper is an eval'd CommonJS script (phrase-helper-source.ts), not a module of the engine: the CLI's
 * single-command search bundle has no import.meta to find a worker file with, and the helper needs
 * nothing of the engine but the phrase's compiled regular expression, passed as its source.
 */
export const phraseSharing = {
  /**
   * Fewer candidates than this are checked on the calling thread alone (the helper's start would not pay).
   * CASEFILE_PHRASE_HELPER=off: never (for A/B benchmarks).
   */
  minCandidates: process.env.CASEFILE_PHRASE_HELPER === 'off' ? Infinity : 1500,
  /**
   * Started only while the machine's load (1-minute average) leaves this much of a core free: on a busy
   * machine the helper only takes time from the main thread (measured at load 8–9 on 2 cores: no gain).
   */
  minFreeCores: 0.5,
  /** How long the main thread waits for a batch the helper took before checking it itself. */
  graceMs: 150,
  /** Tests only: the helper throws after this many batches (-1: never) or stalls in its first batch. */
  testFailAfter: -1,
  testStall: false,
};

/**
 * How the last shared check went: batches in all, checked by the helper, taken back from it (late or
 * failed); `claims`, its shared counter while it runs (tests wait on it for the helper to take a batch).
 */
export const lastShare = { batches: 0, byHelper: 0, late: 0, claims: new Int32Array(new SharedArrayBuffer(8)) as Int32Array };

/** Candidates per claim: small enough that the two threads finish close together. */
const BATCH = 64;
const DONE = 2;

/** What the helper writes: per batch a state, per candidate 1 when its body holds the phrase. */
interface Shared {
  /** [0] next batch to take, [1] 1 once the helper failed. */
  ctrl: Int32Array;
  states: Int32Array;
  ids: Int32Array;
  found: Uint8Array;
}

/**
 * Which of `ids` hold `pattern` in their body, the work shared with a helper thread; null when not worth it
 * (few candidates, one core, no database file) — the caller then checks them alone. `own(batch)` is the
 * calling thread's own check of a batch (the same check the helper runs).
 */
export function bodiesShared(dbFile: string, ids: number[], pattern: RegExp, own: (batch: number[]) => Set<number>, deadline: Deadline): Set<number> | null {
  if (ids.length < phraseSharing.minCandidates || !dbFile || dbFile === ':memory:') return null;
  if (availableParallelism() < 2 || availableParallelism() - loadavg()[0]! < phraseSharing.minFreeCores) return null;
  const sqlite = sqliteEntry();
  if (!sqlite) return null;
  const batches = Math.ceil(ids.length / BATCH);
  const s: Shared = {
    ctrl: new Int32Array(new SharedArrayBuffer(8)),
    states: new Int32Array(new SharedArrayBuffer(batches * 4)),
    ids: new Int32Array(new SharedArrayBuffer(ids.length * 4)),
    found: new Uint8Array(new SharedArrayBuffer(ids.length)),
  };
  s.ids.set(ids);
  lastShare.claims = s.ctrl;
  let helper: Worker | null = null;
  try {
    helper = new Worker(PHRASE_HELPER_SOURCE, {
      eval: true,
      workerData: { ...s, batch: BATCH, dbFile, sqlite, source: pattern.source, flags: pattern.flags, failAfter: phraseSharing.testFailAfter, stall: phraseSharing.testStall },
      stdout: true, // nothing of it reaches the CLI's output
      stderr: true,
    });
    helper.unref(); // never keeps a CLI process alive
    helper.on('error', () => {}); // its failure is seen in shared memory; the main thread covers for it
  } catch {
    helper = null; // no thread: every batch is taken below
  }
  try {
    const out = new Set<number>();
    const mine = new Set<number>();
    for (let b; (b = Atomics.add(s.ctrl, 0, 1)) < batches; ) {
      deadline.checkNow();
      mine.add(b);
      for (const id of own(ids.slice(b * BATCH, (b + 1) * BATCH))) out.add(id);
    }
    const waitUntil = performance.now() + phraseSharing.graceMs;
    let late = 0;
    for (let b = 0; b < batches; b++) {
      if (mine.has(b)) continue;
      while (Atomics.load(s.states, b) !== DONE && Atomics.load(s.ctrl, 1) === 0 && performance.now() < waitUntil) Atomics.wait(s.states, b, 0, 5);
      const from = b * BATCH;
      const to = Math.min(ids.length, from + BATCH);
      if (Atomics.load(s.states, b) === DONE) {
        for (let i = from; i < to; i++) if (s.found[i]) out.add(ids[i]!);
      } else {
        deadline.checkNow();
        late++;
        for (const id of own(ids.slice(from, to))) out.add(id); // the helper failed or is late: checked here
      }
    }
    Object.assign(lastShare, { batches, byHelper: batches - mine.size - late, late });
    return out;
  } finally {
    Atomics.store(s.ctrl, 0, batches); // a late helper takes nothing more
    void helper?.terminate();
  }
}

let sqliteFile: string | null | undefined;

/**
 * better-sqlite3's entry file, for the helper's require(): resolved from the running script (the CLI's
 * bin/, a test file) or the working directory; null when it cannot be found (no helper then).
 */
function sqliteEntry(): string | null {
  if (sqliteFile !== undefined) return sqliteFile;
  sqliteFile = null;
  for (const from of [process.argv[1], path.join(process.cwd(), 'x')]) {
    try {
      if (from) return (sqliteFile = createRequire(path.resolve(from)).resolve('better-sqlite3'));
    } catch {
      // not from there
    }
  }
  return sqliteFile;
}
