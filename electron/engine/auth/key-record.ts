import { createPublicKey } from 'node:crypto';
import { parseTagList } from './dkim-tags';

/** What a DKIM key record (the TXT value at selector._domainkey.domain) says, RFC 6376 §3.6.1. */
export interface KeyRecordInfo {
  /** p= present but empty: the domain revoked this key. */
  revoked: boolean;
  /** k= (default rsa). */
  keyType: string;
  /** h= hash algorithms the key may be used with (null: any). */
  hashes: string[] | null;
  /** g= granularity (RFC 4871; dropped by RFC 6376 but still published by old records). */
  granularity: string | null;
  /** t=y: the domain says it is testing DKIM; verifiers must not treat the result differently from unsigned. */
  testing: boolean;
  /** t=s: i= must use exactly d=, not a subdomain. */
  strict: boolean;
  /** s= service types (null: any). */
  services: string[] | null;
  /** RSA modulus length in bits, null when the key cannot be read (or is ed25519). */
  bits: number | null;
  /** A key-record problem that makes verification impossible, in plain words; null when usable. */
  problem: string | null;
}

export function keyRecordInfo(record: string): KeyRecordInfo {
  const tags = parseTagList(record);
  const list = (name: string) => (tags.has(name) ? tags.get(name)!.toLowerCase().split(':').filter(Boolean) : null);
  const flags = list('t') ?? [];
  const info: KeyRecordInfo = {
    revoked: tags.has('p') && tags.get('p') === '',
    keyType: (tags.get('k') ?? 'rsa').toLowerCase(),
    hashes: list('h'),
    granularity: tags.has('g') ? tags.get('g')! : null,
    testing: flags.includes('y'),
    strict: flags.includes('s'),
    services: list('s'),
    bits: null,
    problem: null,
  };
  const v = tags.get('v');
  const broken = record.split(';').map((t) => t.trim()).find((t) => t && !/^[A-Za-z][A-Za-z0-9_]*[ \t]*=/.test(t));
  if (broken !== undefined) info.problem = `the key record is malformed: "${broken}" is not a tag=value pair`;
  else if (v !== undefined && v !== 'DKIM1') info.problem = `the key record's version v=${v} is not DKIM1`;
  else if (!tags.has('p')) info.problem = 'the key record has no p= (public key) tag';
  else if (info.revoked) info.problem = 'the key was revoked: its record publishes an empty p=';
  else if (info.keyType !== 'rsa' && info.keyType !== 'ed25519') info.problem = `the key record's type k=${info.keyType} is not supported (rsa and ed25519 are)`;
  else if (info.services && !info.services.includes('*') && !info.services.includes('email')) info.problem = `the key is not for e-mail (s=${info.services.join(':')})`;
  if (info.keyType === 'rsa' && !info.problem) {
    try {
      const key = createPublicKey({ key: Buffer.from(tags.get('p')!, 'base64'), format: 'der', type: 'spki' });
      info.bits = key.asymmetricKeyDetails?.modulusLength ?? null;
    } catch {
      info.problem = 'the key record\'s p= is not a readable RSA public key';
    }
  }
  return info;
}
