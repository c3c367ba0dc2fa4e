/**
 * A DKIM tag-list (RFC 6376 §3.2), as found in DKIM-Signature headers and key records: "a=rsa-sha256; d=x".
 * Values keep their case; whitespace inside a value is removed (folding) except where the caller cares.
 * Tag names are case-sensitive; the first occurrence wins (duplicates are reported by the caller if needed).
 */
export function parseTagList(value: string): Map<string, string> {
  const tags = new Map<string, string>();
  for (const part of value.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (!name || tags.has(name)) continue;
    tags.set(name, part.slice(eq + 1).replace(/[ \t\r\n]+/g, ''));
  }
  return tags;
}

/** DKIM-Signature t= / x= (seconds since the epoch) as a Date, or null when absent or not a number. */
export function epochTag(tags: Map<string, string>, name: 't' | 'x'): Date | null {
  const v = tags.get(name);
  return v && /^\d{1,12}$/.test(v) ? new Date(Number(v) * 1000) : null;
}
