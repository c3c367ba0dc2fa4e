/**
 * `s.replace(/\s+/g, ' ').trim()`, computed faster (issue 15): only the runs that change are replaced (two
 * or more whitespace characters, or one that is not a space), so a text's single spaces between words
 * are not each a match. The same result for every string (test/unit/collapse-space.test.ts compares the
 * two on every corpus file); used for the duplicate key, the preview and the HTML digest.
 */
export function collapseSpace(s: string): string {
  return s.replace(/\s{2,}|[^\S ]/g, ' ').trim();
}
