/**
 * Strict tag-list syntax for ARC-Seal headers (RFC 6376 §3.2, RFC 8617 §4.1.3). mailauth accepts some
 * malformed seals (empty tag-specs ";;", duplicated tags, upper-case tag names, names not starting with a
 * letter) that the ARC validation suite says must fail; a forged or damaged chain should not pass here.
 * Returns the first problem found, or null.
 */
const REQUIRED = ['a', 'b', 'cv', 'd', 'i', 's'];

export function arcSealProblem(sealValues: string[]): string | null {
  for (const value of sealValues) {
    const parts = value.split(';');
    if (parts.length > 1 && parts[parts.length - 1]!.trim() === '') parts.pop(); // one trailing ";" is allowed
    const seen = new Set<string>();
    for (const part of parts) {
      const spec = part.trim();
      if (spec === '') return 'ARC-Seal has an empty tag (";;")';
      const m = /^([A-Za-z][A-Za-z0-9_]*)[ \t\r\n]*=/.exec(spec);
      if (!m) return `ARC-Seal has an invalid tag "${spec.slice(0, 20)}"`;
      if (seen.has(m[1]!)) return `ARC-Seal repeats the tag "${m[1]}"`;
      seen.add(m[1]!);
    }
    const missing = REQUIRED.filter((t) => !seen.has(t));
    if (missing.length) return `ARC-Seal lacks required tag${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (tag names are case-sensitive)`;
  }
  return null;
}
