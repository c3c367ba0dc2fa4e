/**
 * What is known of a key's life, beyond its record: when it was seen in use, when the domain retired it,
 * whether its private key was later published (some providers publish retired private keys so that old
 * signatures stop proving anything), and where the record came from (an archived DNS snapshot, a WHOIS
 * history service, a published key list…). Dates are ISO 8601 (a day "2017-05-05" is enough).
 */
export interface KeyHistory {
  firstSeen: string | null;
  lastSeen: string | null;
  retired: string | null;
  /** A date, or "yes" when published at an unknown date; null when not known to be published. */
  privateKeyPublished: string | null;
  /** Free text: where the investigator got this record. */
  origin: string | null;
}

export const NO_HISTORY: KeyHistory = { firstSeen: null, lastSeen: null, retired: null, privateKeyPublished: null, origin: null };

/** The Casefile key-history file: { "keys": [ { "name": …, "record": …, …KeyHistory } ] }. */
export function isKeyHistoryFile(data: object): data is { keys: unknown[] } {
  return Array.isArray((data as { keys?: unknown }).keys);
}

export function fromKeyHistory(data: { keys: unknown[] }, error: (message: string) => Error): { name: string; record: string; history: KeyHistory }[] {
  return data.keys.map((entry, n) => {
    const e = entry as Record<string, unknown>;
    const where = `keys[${n}]`;
    if (!e || typeof e !== 'object') throw error(`${where} is not an object`);
    if (typeof e.name !== 'string' || !e.name.trim()) throw error(`${where}.name must be "selector._domainkey.domain"`);
    const record = Array.isArray(e.record) && e.record.every((c) => typeof c === 'string') ? e.record.join('') : e.record;
    if (typeof record !== 'string') throw error(`${where}.record must be the TXT record text ("v=DKIM1; k=rsa; p=…")`);
    const date = (field: string): string | null => {
      const v = e[field];
      if (v === undefined || v === null || v === '') return null;
      if (typeof v !== 'string' || Number.isNaN(Date.parse(v))) throw error(`${where}.${field} must be an ISO date (e.g. "2017-05-05"), got ${JSON.stringify(v)}`);
      return v;
    };
    const published = e.privateKeyPublished === true ? 'yes' : e.privateKeyPublished === false ? null : date('privateKeyPublished');
    if (e.origin !== undefined && e.origin !== null && typeof e.origin !== 'string') throw error(`${where}.origin must be text`);
    return {
      name: e.name.trim().toLowerCase().replace(/\.$/, ''),
      record,
      history: { firstSeen: date('firstSeen'), lastSeen: date('lastSeen'), retired: date('retired'), privateKeyPublished: published, origin: (e.origin as string | undefined) ?? null },
    };
  });
}
