import type { DkimCaveat, DkimVerdict } from '../../../shared/types';
import { epochTag } from './dkim-tags';
import type { KeyUse } from './key-store';
import { keyRecordInfo, type KeyRecordInfo } from './key-record';

/** Below this many bits an RSA key can be factored by a determined party (512 bits was broken publicly in 2012). */
const SHORT_KEY_BITS = 1024;
/** A t= more than this far from the Date header is worth a look (clocks, held drafts, re-signing). */
const SIGN_TIME_GAP_MS = 24 * 3600 * 1000;

export interface VerdictInput {
  /** One entry of mailauth's dkimVerify results. */
  r: any;
  /** The signature's own tags (parsed from its header). */
  tags: Map<string, string>;
  key: KeyUse | undefined;
  keyName: string | null;
  /** The message's date (Date header, else the first Received hop), which the signature is judged at. */
  at: Date | null;
}

/**
 * The verdict for one DKIM signature: mailauth's cryptographic result, then every tag and key-record rule
 * of RFC 6376 it does not apply, each with its own reason; caveats say why a pass may prove less.
 */
export function dkimVerdict({ r, tags, key, keyName, at }: VerdictInput): DkimVerdict {
  const status = String(r.status?.result ?? 'neutral');
  const comment = typeof r.status?.comment === 'string' ? r.status.comment : null;
  const algorithm = String(r.algo ?? '');
  const canonicalization = String(r.format ?? '');
  const supported = /^(rsa|ed25519)-(sha1|sha256)$/.test(algorithm) && /^(simple|relaxed)(\/(simple|relaxed))?$/.test(canonicalization || 'simple') && !!r.bodyHashExpecting;
  const bodyHash: DkimVerdict['bodyHash'] = !supported ? 'unsupported' : r.bodyHash === r.bodyHashExpecting ? 'body-ok' : 'body-altered';
  const info = key ? keyRecordInfo(key.record) : null;
  const signedAt = epochTag(tags, 't');
  const expiresAt = epochTag(tags, 'x');
  const domain = String(r.signingDomain ?? '').toLowerCase();
  const [signAlgo, hashAlgo] = algorithm.toLowerCase().split('-') as [string, string];
  const caveats: DkimCaveat[] = [];
  const caveat = (name: string, message: string) => caveats.push({ name, message });

  let result: DkimVerdict['result'];
  let reason: string | null = comment;
  let ruleProblem: string | null;
  const tagProblem = signatureTagProblem(tags, domain, signedAt, expiresAt);
  if (!supported) {
    result = 'unsupported';
    reason = `algorithm ${algorithm || '(none)'} / canonicalization ${canonicalization || '(none)'} is not one DKIM defines`;
  } else if (tagProblem) {
    result = 'fail';
    reason = tagProblem;
  } else if (info && (ruleProblem = keyProblem(info, tags, domain, algorithm))) {
    // A key-record problem decides first (as in RFC 6376 §6.1.2), whatever the body says; the body is named too.
    result = info.problem && info.keyType !== 'rsa' && info.keyType !== 'ed25519' ? 'unsupported' : 'fail';
    reason = bodyHash === 'body-altered' ? `${ruleProblem}; the body hash did not verify either` : ruleProblem;
  } else if (bodyHash === 'body-altered') {
    // mailauth stops here: the body alone already fails the signature.
    result = 'fail';
    reason = 'body hash did not verify: the body was changed after signing';
  } else if (comment === 'no key' || !info) {
    result = 'no-key';
    reason = `no key for ${keyName} in the case key store`;
  } else if (status === 'pass' || comment === 'expired' || comment === 'invalid expiration') {
    // mailauth checks expiry against the time we gave it (the message's date); we say so in our words.
    if (expiresAt && at && expiresAt < at) {
      result = 'fail';
      reason = `the signature had expired (x=${expiresAt.toISOString()}) by the message's date (${at.toISOString()}); the signature itself is cryptographically valid`;
    } else result = 'pass';
  } else {
    result = 'fail';
    reason = comment === 'bad signature' ? 'the signature does not match the signed headers: a signed header was changed, or the key is not the one that signed' : comment;
  }

  caveats.push(...keyCaveats({ hashAlgo, info, key, keyName, when: signedAt ?? at }));
  if (signedAt && at && Math.abs(signedAt.getTime() - at.getTime()) > SIGN_TIME_GAP_MS) caveat('sign-time-gap', `The signing time t=${signedAt.toISOString()} is ${Math.round(Math.abs(signedAt.getTime() - at.getTime()) / 3600000)} h from the message's date: a hint of re-signing, a wrong clock or an edited Date.`);
  const limit = r.canonBodyLengthLimited ? Number(r.canonBodyLengthLimit) : null;
  if (limit !== null) caveat('body-length-limit', `l=${limit}: only the first ${limit} bytes of the body are signed; text after them may have been appended by anyone.`);

  return {
    domain: String(r.signingDomain ?? ''),
    selector: String(r.selector ?? ''),
    algorithm,
    canonicalization,
    bodyHash,
    result,
    reason,
    keySource: result === 'no-key' || !key ? null : key.source,
    keySha256: result === 'no-key' || !key ? null : key.recordSha256,
    bodyLengthLimit: limit,
    headerFields: typeof r.signingHeaders?.keys === 'string' ? r.signingHeaders.keys.split(':').map((k: string) => k.trim().toLowerCase()).filter(Boolean) : [],
    caveats,
    keyBits: info?.bits ?? null,
    signedAt: signedAt?.toISOString() ?? null,
    expiresAt: expiresAt?.toISOString() ?? null,
    listChanges: [],
  };
}

/** Caveats that come from the hash, the key record and the key's history (DKIM and DomainKeys alike). */
export function keyCaveats({ hashAlgo, info, key, keyName, when }: { hashAlgo: string; info: KeyRecordInfo | null; key: KeyUse | undefined; keyName: string | null; when: Date | null }): DkimCaveat[] {
  const caveats: DkimCaveat[] = [];
  const caveat = (name: string, message: string) => caveats.push({ name, message });
  if (hashAlgo === 'sha1') caveat('rsa-sha1', 'Signed with SHA-1, which RFC 8301 retired in 2018: a signature forged by a SHA-1 collision is possible for a well-funded attacker.');
  if (info?.bits && info.bits < SHORT_KEY_BITS) caveat(`short-key-${info.bits}`, `The key has only ${info.bits} bits: keys under 1024 bits can be factored (512-bit keys cheaply), after which anyone can sign as this domain.`);
  if (info?.testing) caveat('key-testing-mode', 'The key record says t=y (testing): the domain asked verifiers not to rely on this signature.');
  if (key?.privateKeyPublished) caveat('private-key-published', `The private key of ${keyName} was published (${key.privateKeyPublished}): anyone holding it could have made this signature, with any date on the message: a pass proves nothing.`);
  const window = key ? outsideWindow(key, when) : null;
  if (window) caveat('signed-outside-key-validity', window);
  return caveats;
}

/** Signature tag errors RFC 6376 §6.1.1 makes a verifier reject, beyond the syntax mailauth checks. */
function signatureTagProblem(tags: Map<string, string>, domain: string, signedAt: Date | null, expiresAt: Date | null): string | null {
  const i = identity(tags);
  if (i !== undefined) {
    const iDomain = i.slice(i.lastIndexOf('@') + 1).toLowerCase();
    if (!i.includes('@') || (iDomain !== domain && !iDomain.endsWith(`.${domain}`))) return `the signature's i=${i} is not within its d=${domain}: an invalid signature`;
  }
  if (signedAt && expiresAt && expiresAt <= signedAt) return `the signature expires (x=${expiresAt.toISOString()}) before it was made (t=${signedAt.toISOString()}): an invalid signature`;
  return null;
}

/** Why this key record cannot verify this signature: the record itself, k=/h= against a=, then g= and t=s. */
function keyProblem(info: ReturnType<typeof keyRecordInfo>, tags: Map<string, string>, domain: string, algorithm: string): string | null {
  const [signAlgo, hashAlgo] = algorithm.toLowerCase().split('-') as [string, string];
  if (info.problem) return info.problem;
  if (info.keyType !== signAlgo) return `the key is k=${info.keyType} but the signature says a=${algorithm}`;
  if (info.hashes && !info.hashes.includes(hashAlgo)) return `the key record allows only h=${info.hashes.join(':')}, but the message is signed with ${hashAlgo}`;
  return keyRuleProblem(info, tags, domain);
}

/** Rules a key record imposes on the signature's i= (g= granularity, t=s strict domain). */
function keyRuleProblem(info: ReturnType<typeof keyRecordInfo>, tags: Map<string, string>, domain: string): string | null {
  const i = identity(tags) ?? `@${domain}`;
  const at = i.lastIndexOf('@');
  const local = i.slice(0, at);
  if (info.strict && i.slice(at + 1).toLowerCase() !== domain) return `the key record says t=s (no subdomains), but i=${i} is a subdomain of d=${domain}`;
  // RFC 4871 §3.6.1: an empty g= matches no address at all.
  if (info.granularity === '') return `the key record's g= is empty: it allows no sender, so no signature made with it is valid`;
  if (info.granularity !== null && info.granularity !== '*') {
    const pattern = new RegExp(`^${info.granularity.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    if (!pattern.test(local)) return `the key record's g=${info.granularity || '(empty)'} allows only some senders, and i=${i} is not one of them`;
  }
  return null;
}

/** i= decoded from dkim-quoted-printable (RFC 6376 §2.11: "=40" is "@"), or undefined when absent. */
function identity(tags: Map<string, string>): string | undefined {
  return tags.get('i')?.replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

function outsideWindow(key: KeyUse, when: Date | null): string | null {
  if (!when) return null;
  const t = when.getTime();
  const first = key.firstSeen ? Date.parse(key.firstSeen) : NaN;
  const last = key.retired ? Date.parse(key.retired) : key.lastSeen ? Date.parse(key.lastSeen) : NaN;
  if (!Number.isNaN(first) && t < first) return `The message is dated ${when.toISOString()}, before this key was first seen (${key.firstSeen}).`;
  if (!Number.isNaN(last) && t > last) return `The message is dated ${when.toISOString()}, after this key was ${key.retired ? 'retired' : 'last seen'} (${key.retired ?? key.lastSeen}).`;
  return null;
}
