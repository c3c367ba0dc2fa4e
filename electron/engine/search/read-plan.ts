/**
 * Which blocks to read, and in which runs, for byte ranges a query is about to use (BlockFile.pin).
 *
 * Why: a wide word reads hundreds of small posting lists scattered over each shard, one 16 KiB block at a
 * time; on this machine a positional read of one block from the page cache costs ≈40 µs, two to three
 * times the block's copy and CRC. The blocks are the same either way: only the number of reads changes.
 */

/**
 * The blocks (of `blockSize` bytes) that byte ranges [starts[i], ends[i]) touch, minus those `have(n)`
 * already holds, as runs of consecutive block numbers: [first, last, first, last, …] in ascending order.
 * Empty and malformed ranges (end ≤ start, beyond `length`) are left out: reading them later fails as
 * before. Stops once `maxBlocks` blocks are planned (the rest is read on demand).
 */
export function blockRuns(starts: ArrayLike<number>, ends: ArrayLike<number>, blockSize: number, length: number, have: (n: number) => boolean, maxBlocks: number): number[] {
  const wanted = new Set<number>();
  for (let i = 0; i < starts.length && wanted.size < maxBlocks; i++) {
    const s = starts[i]!;
    const e = ends[i]!;
    if (!(e > s) || s < 0 || e > length) continue;
    for (let n = Math.floor(s / blockSize), last = Math.floor((e - 1) / blockSize); n <= last && wanted.size < maxBlocks; n++) if (!have(n)) wanted.add(n);
  }
  const blocks = Int32Array.from(wanted).sort();
  const runs: number[] = [];
  for (let i = 0; i < blocks.length; ) {
    let j = i;
    while (j + 1 < blocks.length && blocks[j + 1] === blocks[j]! + 1) j++;
    runs.push(blocks[i]!, blocks[j]!);
    i = j + 1;
  }
  return runs;
}
