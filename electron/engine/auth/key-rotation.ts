import type { KeyUse } from './key-store';

/**
 * The order in which the keys of a rotated selector (one name, several records over the years) are tried:
 * keys whose validity window contains the signing time first, then the others, most recently imported first.
 */
export function keysToTry(keys: KeyUse[], when: Date | null): KeyUse[] {
  if (!when) return keys;
  const t = when.getTime();
  const inWindow = (k: KeyUse) => {
    const first = k.firstSeen ? Date.parse(k.firstSeen) : -Infinity;
    const end = k.retired ?? k.lastSeen;
    return t >= first && t <= (end ? Date.parse(end) : Infinity);
  };
  return [...keys.filter(inWindow), ...keys.filter((k) => !inWindow(k))];
}

/** "key 2 of 3 for sel._domainkey.example.org (seen 2012-01-13 to 2016-06-30; from archived DNS) matched". */
export function rotationNote(keys: KeyUse[], key: KeyUse, matched: boolean): string {
  const n = keys.findIndex((k) => k.recordSha256 === key.recordSha256) + 1;
  const seen = key.firstSeen || key.lastSeen || key.retired ? `seen ${key.firstSeen ?? '?'} to ${key.retired ?? key.lastSeen ?? '?'}` : 'no known dates';
  const what = `key ${n} of ${keys.length} for ${key.name} (${seen}${key.origin ? `; ${key.origin}` : ''}, record SHA-256 ${key.recordSha256.slice(0, 12)}…)`;
  return matched ? `${what} matched` : `none of the ${keys.length} keys for ${key.name} verifies; shown with ${what}`;
}
