import { call } from '../api-client';

export type Range = [number, number];

/** Characters per request: the harness takes bodies up to 1 MiB, and UTF-8 may take 3 bytes a character. */
const BATCH = 200_000;

/**
 * The engine's hit ranges for each text (it matches words exactly as the index does: stems of both
 * languages, address parts, wildcards, fuzzy words, phrases). Long texts are cut at a space into pieces
 * that fit a request; ranges come back in the coordinates of the text they were asked for.
 */
export async function hitRanges(query: string, texts: string[]): Promise<Range[][]> {
  if (!query.trim() || texts.length === 0) return texts.map(() => []);
  const pieces: { text: number; offset: number; value: string }[] = [];
  texts.forEach((t, i) => {
    for (let at = 0; at < t.length; ) {
      let end = Math.min(t.length, at + BATCH);
      if (end < t.length) end = Math.max(t.lastIndexOf(' ', end) + 1, at + 1);
      pieces.push({ text: i, offset: at, value: t.slice(at, end) });
      at = end;
    }
  });
  const out: Range[][] = texts.map(() => []);
  for (let i = 0; i < pieces.length; ) {
    const batch: typeof pieces = [];
    let size = 0;
    while (i < pieces.length && (batch.length === 0 || size + pieces[i]!.value.length <= BATCH)) {
      size += pieces[i]!.value.length;
      batch.push(pieces[i++]!);
    }
    const r = await call('highlight', { query, texts: batch.map((p) => p.value) });
    r.ranges.forEach((ranges, k) => {
      const p = batch[k]!;
      for (const [a, b] of ranges) out[p.text]!.push([a + p.offset, b + p.offset]);
    });
  }
  return out;
}
