'use strict';
// glibc's malloc settings for the process that ingests (issue 15 item 3), read by glibc when a process
// starts, so they are given to a new process image: the desktop app starts its engine process with them
// (electron/main/main.ts), and `casefile ingest` and `casefile serve` replace themselves with one that has them (execTuned).
//
// Why: glibc serves blocks of up to 32 MiB from its arenas once a block that size has been freed (the
// threshold for handing a block its own mapping rises with each freed one), and an arena gives memory back
// only from its top. The ingest's five threads churn through buffers of 64 KiB to a few MiB (messages,
// attachments, compressed bodies, shard parts), so the arenas kept growing with the holes between them.
// A fixed threshold of 64 KiB gives each such buffer its own mapping, returned whole when freed. Measured
// on the generated archives, alternating (README, Benchmarks): peak RSS 100 MiB 413–432 → 372–389 MiB,
// 1 GiB 536–559 → 494–501, 2 GiB 583 → 522–538; the same wall time, 0.4–2 s more system time.
// A value the user has set is kept. Other C libraries (musl, macOS, Windows) ignore these variables.
const MALLOC_TUNING = Object.freeze({ MALLOC_MMAP_THRESHOLD_: '65536' });

/** `env` with the tuning added (a variable already set keeps its value). */
function withMallocTuning(env) {
  return { ...MALLOC_TUNING, ...env };
}

/**
 * Replaces this process with the same command under the tuning when it would change something (Linux, a
 * variable not set yet: a value of the user's own, any value, keeps this process as it is) and Node can (process.execve: Node ≥ 22.15 / 23.11):
 * the same process id, so stopping or killing the command stops the ingest as before. Returns false when it
 * did not (older Node: the ingest runs untuned; a child process instead would outlive a `kill -9` of this one).
 */
function execTuned(env = process.env, platform = process.platform) {
  if (platform !== 'linux' || typeof process.execve !== 'function') return false;
  // On a Linux with another C library (musl) the variable means nothing and the new image runs as this one would.
  if (Object.keys(MALLOC_TUNING).every((k) => env[k] !== undefined)) return false;
  const warn = process.emitWarning;
  process.emitWarning = () => {}; // execve is marked experimental: no warning on the user's terminal
  try {
    // Does not return when it works: this process becomes the tuned one.
    process.execve(process.execPath, [process.execPath, ...process.execArgv, ...process.argv.slice(1)], withMallocTuning(env));
  } catch {
    // not replaced: run here
  } finally {
    process.emitWarning = warn;
  }
  return false;
}

module.exports = { MALLOC_TUNING, withMallocTuning, execTuned };
