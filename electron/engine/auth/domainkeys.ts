import { createPublicKey, verify } from 'node:crypto';
import type { DkimVerdict } from '../../../shared/types';
import { readRawHeaders } from '../parse/raw-headers';
import { parseTagList } from './dkim-tags';
import { keyCaveats } from './dkim-verdict';
import type { KeyUse, OfflineResolver } from './key-store';
import { keyRecordInfo } from './key-record';
import { keysToTry, rotationNote } from './key-rotation';

const MAX_SIGNATURES = 16;
const MAX_HEADER_BYTES = 1024 * 1024;

/**
 * DomainKeys (RFC 4870, historic): DKIM's predecessor, used by Yahoo and Gmail from 2004 to about 2009, so
 * much of the mail of that era carries a `DomainKey-Signature` and no DKIM one. One RSA-SHA1 signature covers
 * the header fields after the signature header (those named in h=, else all) and the body, canonicalized
 * `simple` (as is) or `nofws` (all whitespace removed); trailing empty lines are ignored. The signing domain
 * must be the domain (or a parent) of the sending address: Sender if present, else From, and that header
 * must be signed. Written here because mailauth has no DomainKeys; Mail::DKIM's behaviour and its test
 * corpus are the reference (test/fixtures/mail-dkim).
 */
export function verifyDomainKeys(raw: Buffer, resolver: OfflineResolver, at: Date | null): DkimVerdict[] {
  const { bodyOffset, values } = readRawHeaders(raw);
  if (!values.has('domainkey-signature')) return [];
  const head = raw.toString('latin1', 0, bodyOffset < 0 ? Math.min(raw.length, MAX_HEADER_BYTES) : bodyOffset);
  const fields = head.split(/\r?\n(?![ \t])/).filter((f) => f.length > 0);
  // Signature headers are judged against the fields below them.
  const body = bodyOffset < 0 ? '' : raw.toString('latin1', bodyOffset);
  // The canonical body depends only on c=: computed once per canonicalization, not once per signature.
  const bodies = new Map<string, string>();
  const canonicalBody = (c: string) => bodies.get(c) ?? bodies.set(c, canonicalizeBody(body, c)).get(c)!;
  const out: DkimVerdict[] = [];
  fields.forEach((field, n) => {
    // Each signature hashes the whole message: a hostile message with thousands of them is cut short.
    if (!/^domainkey-signature\s*:/i.test(field) || out.length >= MAX_SIGNATURES) return;
    const tags = parseTagList(field.slice(field.indexOf(':') + 1));
    out.push(judge(tags, fields.slice(n + 1), canonicalBody, resolver, at));
  });
  return out;
}

function judge(tags: Map<string, string>, after: string[], canonicalBody: (c: string) => string, resolver: OfflineResolver, at: Date | null): DkimVerdict {
  const d = (tags.get('d') ?? '').toLowerCase();
  const s = tags.get('s') ?? '';
  const c = (tags.get('c') ?? 'simple').toLowerCase();
  const signed = tags.get('h') ? inListOrder(after, tags.get('h')!.toLowerCase().split(':')) : after;
  const keyName = d && s ? `${s.toLowerCase()}._domainkey.${d}` : null;
  const base: DkimVerdict = {
    domain: d,
    selector: s,
    algorithm: tags.get('a') ?? 'rsa-sha1',
    canonicalization: `domainkeys/${c}`,
    bodyHash: 'unsupported',
    result: 'fail',
    reason: null,
    keySource: null,
    keySha256: null,
    bodyLengthLimit: null,
    headerFields: signed.map(fieldName),
    caveats: [{ name: 'domainkeys', message: 'A DomainKeys signature (RFC 4870, DKIM\'s predecessor, historic since 2007): one RSA-SHA1 signature over headers and body; it has no separate body hash, so a failure cannot say whether the body or a header changed.' }],
    keyBits: null,
    signedAt: null,
    expiresAt: null,
    listChanges: [],
  };
  const problem = tagProblem(tags, c, d, signed);
  if (problem) return { ...base, ...problem };
  const keys = resolver.keysFor(keyName!);
  if (keys.length === 0) return { ...base, result: 'no-key', reason: `no key for ${keyName} in the case key store` };
  const headers = signed.map((f) => (c === 'nofws' ? f.replace(/[ \t\r\n]/g, '') : f.replace(/\r?\n/g, '\r\n')) + '\r\n').join('');
  const data = Buffer.from(headers + canonicalBody(c), 'latin1');
  let first: DkimVerdict | null = null;
  for (const key of keysToTry(keys, at)) {
    const v = withKey(base, key, tags, data, addressOf(sendingHeader(signed)!).replace(/@.*$/, ''), keyName!, at);
    const note = keys.length > 1 ? rotationNote(keys, key, v.result === 'pass') : null;
    if (v.result === 'pass') return note ? { ...v, reason: note, keysTried: keys.length } : v;
    first ??= note ? { ...v, reason: `${v.reason}; ${note}`, keysTried: keys.length } : v;
  }
  return first!;
}

function withKey(base: DkimVerdict, key: KeyUse, tags: Map<string, string>, data: Buffer, local: string, keyName: string, at: Date | null): DkimVerdict {
  const info = keyRecordInfo(key.record);
  const v: DkimVerdict = { ...base, keySource: key.source, keySha256: key.recordSha256, keyBits: info.bits, caveats: [...base.caveats, ...keyCaveats({ hashAlgo: 'sha1', info, key, keyName, when: at })] };
  if (info.problem) return { ...v, result: info.keyType !== 'rsa' ? 'unsupported' : 'fail', reason: info.problem };
  if (info.keyType !== 'rsa') return { ...v, result: 'fail', reason: `the key is k=${info.keyType}, DomainKeys signs with RSA only` };
  // g= (granularity) restricts the local part of the sending address; empty means no restriction in DomainKeys.
  if (info.granularity && info.granularity !== '*' && !new RegExp(`^${info.granularity.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(local)) {
    return { ...v, reason: `the key record's g=${info.granularity} allows only some senders, and ${local} is not one of them` };
  }
  const publicKey = createPublicKey({ key: Buffer.from(new RegExp('(?:^|;)\\s*p=([^;]*)').exec(key.record)![1]!.replace(/\s+/g, ''), 'base64'), format: 'der', type: 'spki' });
  const ok = verify('sha1', data, publicKey, Buffer.from(tags.get('b') ?? '', 'base64'));
  return ok ? { ...v, result: 'pass', reason: null } : { ...v, reason: 'the DomainKeys signature does not verify: a signed header or the body was changed after signing, or the key is not the one that signed' };
}

/** Signature tag problems RFC 4870 makes a verifier reject (Mail::DKIM: "invalid"). */
function tagProblem(tags: Map<string, string>, c: string, d: string, signed: string[]): Partial<DkimVerdict> | null {
  if (!d || !tags.get('s') || !tags.get('b')) return { result: 'fail', reason: 'the DomainKey-Signature is malformed: d=, s= or b= missing' };
  if ((tags.get('a') ?? 'rsa-sha1').toLowerCase() !== 'rsa-sha1') return { result: 'unsupported', reason: `the DomainKeys algorithm a=${tags.get('a')} is not rsa-sha1` };
  if (c !== 'simple' && c !== 'nofws') return { result: 'unsupported', reason: `the DomainKeys canonicalization c=${c} is not simple or nofws` };
  if (tags.has('q') && tags.get('q')!.toLowerCase() !== 'dns') return { result: 'unsupported', reason: `the key query method q=${tags.get('q') || '(empty)'} is not dns` };
  const sender = sendingHeader(signed);
  if (!sender) return { result: 'fail', reason: 'neither Sender nor From is covered by the DomainKeys signature: it vouches for no sending address' };
  const domain = addressOf(sender).replace(/^.*@/, '').toLowerCase();
  if (domain !== d && !domain.endsWith(`.${d}`)) return { result: 'fail', reason: `the sending address (${fieldName(sender) === 'sender' ? 'Sender' : 'From'}: ${addressOf(sender)}) is not within the signing domain d=${d}` };
  return null;
}

/** The sending address the signature vouches for: the signed Sender, else the signed From (as Mail::DKIM does). */
const sendingHeader = (signed: string[]) => signed.find((f) => fieldName(f) === 'sender') ?? signed.find((f) => fieldName(f) === 'from');

/**
 * The header fields h= names, in h= order (as Gmail signed them, not the message's order): a name listed once
 * takes all its fields, a name listed several times takes them one by one from the bottom (Mail::DKIM's reading).
 */
function inListOrder(fields: string[], names: string[]): string[] {
  const byName = new Map<string, string[]>();
  for (const f of fields) byName.set(fieldName(f), [...(byName.get(fieldName(f)) ?? []), f]);
  const left = new Map<string, number>();
  for (const n of names) left.set(n, (left.get(n) ?? 0) + 1);
  const out: string[] = [];
  for (const n of [...names].reverse()) {
    left.set(n, left.get(n)! - 1);
    const pool = byName.get(n) ?? [];
    if (left.get(n)! > 0) {
      const last = pool.pop();
      if (last !== undefined) out.unshift(last);
    } else {
      out.unshift(...pool);
      byName.set(n, []);
    }
  }
  return out;
}

/** RFC 4870 §3.4: the body (after the empty line that ends the headers, which counts as its first line), trailing empty lines ignored. */
function canonicalizeBody(body: string, c: string): string {
  const lines = body.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  const bodyLines = ['', ...(c === 'nofws' ? lines.map((l) => l.replace(/[ \t\r]/g, '')) : lines)];
  while (bodyLines.length && bodyLines[bodyLines.length - 1] === '') bodyLines.pop();
  return bodyLines.length ? bodyLines.join('\r\n') + '\r\n' : '';
}

const fieldName = (field: string) => field.slice(0, field.indexOf(':')).trim().toLowerCase();

function addressOf(field: string): string {
  const value = field.slice(field.indexOf(':') + 1).replace(/\r?\n/g, ' ');
  return (/<([^>]*)>/.exec(value)?.[1] ?? value).trim();
}

