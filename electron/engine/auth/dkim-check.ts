import type { ArcVerdict, DkimVerdict } from '../../../shared/types';
import { readRawHeaders } from '../parse/raw-headers';
import { withArcListContext } from './arc-list-context';
import { arcSealProblem } from './arc-seal-syntax';
import { epochTag, parseTagList } from './dkim-tags';
import { dkimVerdict } from './dkim-verdict';
import { verifyDomainKeys } from './domainkeys';
import { explainListChanges } from './list-changes';
import { signatureProblem, unverifiableVerdict } from './signature-support';
import type { KeyUse, OfflineResolver } from './key-store';
import { keysToTry, rotationNote } from './key-rotation';
// mailauth's verifier and ARC chain validation, driven with our offline resolver (no SPF/DMARC/BIMI: those
// need the live DNS of today, not the evidence of then).
import { dkimVerify } from 'mailauth/lib/dkim/verify';
import { arc } from 'mailauth/lib/arc';

/**
 * Verify every DKIM signature and the ARC chain of one message, offline. `at` is the time the
 * signatures are judged at (the message's own date): archived mail is old, and an x= expiry that passed
 * years later says nothing about whether the mail was genuine when sent.
 */
export async function checkSignatures(raw: Buffer, baseResolver: OfflineResolver, at: Date | null): Promise<{ dkim: DkimVerdict[]; arc: ArcVerdict }> {
  const misses = new Set<string>();
  const resolver = Object.assign(
    async (name: string, type: string) => {
      try {
        return await baseResolver(name, type);
      } catch (err) {
        misses.add(name.trim().toLowerCase().replace(/\.$/, ''));
        throw err;
      }
    },
    { used: baseResolver.used, keysFor: baseResolver.keysFor, pinned: baseResolver.pinned },
  ) as OfflineResolver;
  const result = await runDkimVerify(raw, resolver, at);
  const dkim = [...(await dkimVerdicts(raw, result, resolver, at, true)), ...verifyDomainKeys(raw, resolver, at)];
  const chain = (result as any).arc;
  const a: any = await quietly(() => arc(chain, { resolver } as any));
  const r = String(a?.status?.result ?? 'none').toLowerCase();
  const arcVerdict: ArcVerdict = {
    result: r === 'pass' ? 'pass' : r === 'none' ? 'none' : 'fail',
    reason: a?.status?.comment ? String(a.status.comment) : chain?.error ? String(chain.error.message ?? chain.error) : null,
    instances: Number(a?.i ?? chain?.chain?.length ?? 0),
  };
  const seals = readRawHeaders(raw).values.get('arc-seal') ?? [];
  const malformed = arcVerdict.result === 'pass' ? arcSealProblem(seals) : null;
  if (malformed) Object.assign(arcVerdict, { result: 'fail', reason: malformed });
  const missingKey = arcVerdict.result === 'fail' ? arcKeyNames(seals).find((n) => misses.has(n)) : undefined;
  // As the ARC suite requires, a seal whose key is unavailable fails the chain; the reason says why.
  if (missingKey) arcVerdict.reason = `no key for ${missingKey} in the case key store`;
  return { dkim: withArcListContext(dkim, readRawHeaders(raw).values, arcVerdict), arc: arcVerdict };
}

// minBitLength 1: short keys are verified and then reported with a caveat, not refused (historic mail).
const runDkimVerify = (raw: Buffer, resolver: OfflineResolver, at: Date | null) => quietly(() => dkimVerify(withBodySeparator(raw), { resolver, curTime: at ?? undefined, minBitLength: 1 } as any));

/**
 * mailauth never finishes reading headers that are not followed by an empty line, so a message with no
 * body at all (legal: RFC 5322 makes the body optional) looked unsigned. Its canonical body is empty
 * either way; the verifier gets a copy with the separator added (the evidence itself is never touched).
 */
function withBodySeparator(raw: Buffer): Buffer {
  if (readRawHeaders(raw).bodyOffset >= 0) return raw;
  return Buffer.concat([raw, Buffer.from(raw.length && raw[raw.length - 1] === 0x0a ? '\r\n' : '\r\n\r\n')]);
}

/** Our verdict for each signature mailauth checked; failures are examined for mailing-list changes once. */
async function dkimVerdicts(raw: Buffer, result: any, resolver: OfflineResolver, at: Date | null, explain: boolean): Promise<DkimVerdict[]> {
  const signatures = (readRawHeaders(raw).values.get('dkim-signature') ?? []).map(parseTagList);
  const dkim: DkimVerdict[] = [];
  const seen = new Set<Map<string, string>>();
  for (const r of (result.results as any[]).filter((r) => r.signingDomain !== undefined || r.status?.result !== 'none')) {
    // Two signatures may share b= (a copied header): prefer the one mailauth could verify.
    const same = signatures.filter((t) => !seen.has(t) && t.get('b') === String(r.signature ?? '').replace(/\s+/g, ''));
    const tags = same.find((t) => !signatureProblem(t)) ?? same[0] ?? new Map<string, string>();
    seen.add(tags);
    const problem = signatureProblem(tags);
    if (problem) {
      dkim.push(unverifiableVerdict(tags, problem));
      continue;
    }
    const keyName = r.signingDomain && r.selector ? `${String(r.selector).toLowerCase()}._domainkey.${String(r.signingDomain).toLowerCase()}` : null;
    const keys = keyName ? resolver.keysFor(keyName) : [];
    // mailauth looks the key up only when the body hash matches; a key-record problem (revoked…) is named anyway.
    const v = keys.length > 1 ? await eachKey(raw, r, tags, keys, resolver, at) : dkimVerdict({ r, tags, key: keys[0], keyName, at });
    const reverify = async (original: Buffer) =>
      (await dkimVerdicts(original, await runDkimVerify(original, resolver, at), resolver, at, false)).find((o) => o.domain === v.domain && o.selector === v.selector && o.algorithm === v.algorithm);
    dkim.push(explain && v.result === 'fail' ? await explainListChanges(raw, v, tags, reverify) : v);
  }
  // Signatures mailauth skipped without a word (unknown a=, c=, malformed): each gets its own verdict.
  for (const tags of signatures.filter((t) => !seen.has(t))) dkim.push(unverifiableVerdict(tags, signatureProblem(tags) ?? { result: 'unsupported', reason: 'the verifier could not read this signature' }));
  return dkim;
}

/**
 * A selector with several keys in the store (rotations): verify with each, in-window keys first, and keep the
 * first that passes (else the first tried), saying which key it was.
 */
async function eachKey(raw: Buffer, r: any, tags: Map<string, string>, keys: KeyUse[], resolver: OfflineResolver, at: Date | null): Promise<DkimVerdict> {
  const keyName = keys[0]!.name;
  let first: DkimVerdict | null = null;
  for (const key of keysToTry(keys, epochTag(tags, 't') ?? at)) {
    const pinned = resolver.pinned(keyName, key.recordSha256);
    const again = ((await runDkimVerify(raw, pinned, at)).results as any[]).find((x) => x.signature === r.signature) ?? r;
    const v = dkimVerdict({ r: again, tags, key, keyName, at });
    if (v.result === 'pass') return { ...v, reason: rotationNote(keys, key, true), keysTried: keys.length };
    first ??= { ...v, reason: `${v.reason}; ${rotationNote(keys, key, false)}`, keysTried: keys.length };
  }
  return first!;
}

/** selector._domainkey.domain of every ARC-Seal (the keys an ARC check needs). */
function arcKeyNames(seals: string[]): string[] {
  return seals.flatMap((v) => {
    const d = /(?:^|;)\s*d=\s*([^;\s]+)/.exec(v)?.[1];
    const s = /(?:^|;)\s*s=\s*([^;\s]+)/.exec(v)?.[1];
    return d && s ? [`${s.toLowerCase()}._domainkey.${d.toLowerCase()}`] : [];
  });
}

/**
 * mailauth 4 prints a debug line with console.log when a signature's l= differs from the body length;
 * on the CLI that would corrupt --json output on stdout. Silence console.log for the duration of a call.
 */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const original = console.log;
  console.log = () => {};
  try {
    return await fn();
  } finally {
    console.log = original;
  }
}
