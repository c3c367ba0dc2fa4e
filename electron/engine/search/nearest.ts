/** Plain Levenshtein distance (for suggesting names: tags, flags, fields). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * The names closest to `value` (at most `max`): those within a third of its length in edits, or that
 * contain it or are contained in it — "urgnet" → urgent, "date" → date-after-first-hop.
 */
export function nearest(value: string, names: string[], max = 3): string[] {
  const limit = Math.max(1, Math.floor(value.length / 3));
  return names
    .map((n) => ({ n, d: n.toLowerCase().includes(value) || value.includes(n.toLowerCase()) ? 0.5 : editDistance(value, n.toLowerCase()) }))
    .filter((x) => x.d <= limit)
    .sort((a, b) => a.d - b.d || a.n.localeCompare(b.n))
    .slice(0, max)
    .map((x) => x.n);
}
