import { type KeyHistory, isKeyHistoryFile, fromKeyHistory } from './key-history';
/**
 * DKIM/ARC public-key records from files a user can carry to an air-gapped machine. Accepted:
 *  - JSON: { "selector._domainkey.domain": "v=DKIM1; k=rsa; p=…" } (value may also be an array of chunks)
 *  - Casefile key-history JSON: { "keys": [{ "name", "record", "firstSeen", "lastSeen", "retired",
 *    "privateKeyPublished", "origin" }] } (see key-history.ts and the README)
 *  - mailauth's --dns-cache JSON: { "name": { "TXT": [["chunk", "chunk"], …] } }
 *  - BIND zone lines: name [ttl] [IN] TXT "chunk" "chunk" (parentheses across lines allowed)
 *  - tinydns lines: 'name:record:ttl:: (octal escapes such as \072 for ":")
 *  - a PEM public key (SubjectPublicKeyInfo), given the record name separately
 * Names are lower-cased without a trailing dot. Only …_domainkey… names are kept (that is all DKIM and
 * ARC look up); anything else in the file is ignored and counted.
 */
export interface KeyRecord {
  name: string;
  record: string;
  /** Only from the key-history JSON format. */
  history?: KeyHistory;
}

export class KeyFormatError extends Error {
  override name = 'KeyFormatError';
}

export function parseKeyFile(text: string, pemName?: string): { records: KeyRecord[]; ignored: number; format: string } {
  const trimmed = text.trim();
  if (trimmed.startsWith('-----BEGIN PUBLIC KEY-----')) return { records: [pemRecord(trimmed, pemName)], ignored: 0, format: 'pem' };
  if (trimmed.startsWith('{')) {
    const records = fromJson(trimmed);
    return keep(records, records.some((r) => r.history) ? 'key-history' : 'json');
  }
  if (/^'[^:\s]+:/m.test(trimmed)) return keep(fromTinydns(trimmed), 'tinydns');
  if (/\bTXT\b/i.test(trimmed)) return keep(fromBind(trimmed), 'bind');
  throw new KeyFormatError('unrecognised key file: expected JSON, mailauth --dns-cache JSON, BIND zone TXT lines, tinydns lines or a PEM public key');
}

function keep(all: KeyRecord[], format: string) {
  const records = all.filter((r) => /(^|\.)_domainkey\./.test(r.name));
  return { records, ignored: all.length - records.length, format };
}

const normName = (n: string) => n.trim().toLowerCase().replace(/\.$/, '');

function fromJson(text: string): KeyRecord[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new KeyFormatError(`key file is not valid JSON: ${(err as Error).message}`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new KeyFormatError('key JSON must be an object of name → record');
  if (isKeyHistoryFile(data)) return fromKeyHistory(data, (m) => new KeyFormatError(m));
  const out: KeyRecord[] = [];
  for (const [name, value] of Object.entries(data as Record<string, unknown>)) {
    if (typeof value === 'string') out.push({ name: normName(name), record: value });
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) out.push({ name: normName(name), record: value.join('') });
    else if (value && typeof value === 'object' && Array.isArray((value as { TXT?: unknown }).TXT)) {
      for (const rr of (value as { TXT: unknown[] }).TXT) {
        if (Array.isArray(rr) && rr.every((v) => typeof v === 'string')) out.push({ name: normName(name), record: rr.join('') });
        else if (typeof rr === 'string') out.push({ name: normName(name), record: rr });
      }
    }
  }
  return out;
}

function fromBind(text: string): KeyRecord[] {
  const out: KeyRecord[] = [];
  // Drop comments (outside quotes), then join parenthesised records onto one line.
  const lines = text.split(/\r?\n/).map((l) => l.replace(/;(?=(?:[^"]*"[^"]*")*[^"]*$).*$/, ''));
  const joined: string[] = [];
  let open = '';
  for (const line of lines) {
    if (open) {
      open += ' ' + line;
      if (line.includes(')')) {
        joined.push(open);
        open = '';
      }
    } else if (line.includes('(') && !line.includes(')')) open = line;
    else joined.push(line);
  }
  for (const line of joined) {
    const m = /^(\S+)\s+(?:\d+\s+)?(?:IN\s+)?(?:\d+\s+)?TXT\s+\(?\s*((?:"(?:[^"\\]|\\.)*"\s*)+)\)?/i.exec(line.trim());
    if (!m) continue;
    const chunks = [...m[2]!.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((c) => c[1]!.replace(/\\(.)/g, '$1'));
    out.push({ name: normName(m[1]!), record: chunks.join('') });
  }
  return out;
}

function fromTinydns(text: string): KeyRecord[] {
  const out: KeyRecord[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.startsWith("'")) continue;
    const [name, data] = line.slice(1).split(':');
    if (!name || data === undefined) continue;
    out.push({ name: normName(name), record: data.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))) });
  }
  return out;
}

function pemRecord(pem: string, name: string | undefined): KeyRecord {
  if (!name || !/(^|\.)_domainkey\./.test(name)) throw new KeyFormatError('a PEM key needs its record name: --name <selector>._domainkey.<domain>');
  const body = pem.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, '').replace(/\s+/g, '');
  return { name: normName(name), record: `v=DKIM1; k=rsa; p=${body}` };
}
