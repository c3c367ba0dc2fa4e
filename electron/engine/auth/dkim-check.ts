import type { ArcVerdict, DkimVerdict } from '../../../shared/types';
import { readRawHeaders } from '../parse/raw-headers';
import { arcSealProblem } from './arc-seal-syntax';
import type { OfflineResolver } from './key-store';
// mailauth's verifier and ARC chain validation, driven with our offline resolver (no SPF/DMARC/BIMI: those
// need the live DNS of today, not the evidence of then).
import { dkimVerify } from 'mailauth/lib/dkim/verify';
import { arc } from 'mailauth/lib/arc';

/** Messages with none of these headers carry no signature: skip the verifier entirely. */
export function hasSignatures(headerNames: Iterable<string>): boolean {
  for (const n of headerNames) if (n === 'dkim-signature' || n === 'arc-seal' || n === 'arc-message-signature') return true;
  return false;
}

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
    { used: baseResolver.used },
  ) as OfflineResolver;
  const result = await quietly(() => dkimVerify(raw, { resolver, curTime: at ?? undefined } as any));
  const dkim = (result.results as any[]).filter((r) => r.signingDomain !== undefined || r.status?.result !== 'none').map((r) => verdict(r, resolver));
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
  return { dkim, arc: arcVerdict };
}

/** selector._domainkey.domain of every ARC-Seal (the keys an ARC check needs). */
function arcKeyNames(seals: string[]): string[] {
  return seals.flatMap((v) => {
    const d = /(?:^|;)\s*d=\s*([^;\s]+)/.exec(v)?.[1];
    const s = /(?:^|;)\s*s=\s*([^;\s]+)/.exec(v)?.[1];
    return d && s ? [`${s.toLowerCase()}._domainkey.${d.toLowerCase()}`] : [];
  });
}

function verdict(r: any, resolver: OfflineResolver): DkimVerdict {
  const status = String(r.status?.result ?? 'neutral');
  const comment = typeof r.status?.comment === 'string' ? r.status.comment : null;
  const algorithm = String(r.algo ?? '');
  const canonicalization = String(r.format ?? '');
  const supported = /^(rsa|ed25519)-(sha1|sha256)$/.test(algorithm) && /^(simple|relaxed)\/(simple|relaxed)$/.test(canonicalization) && !!r.bodyHashExpecting;
  const bodyHash: DkimVerdict['bodyHash'] = !supported ? 'unsupported' : r.bodyHash === r.bodyHashExpecting ? 'body-ok' : 'body-altered';
  const keyName = r.signingDomain && r.selector ? `${String(r.selector).toLowerCase()}._domainkey.${String(r.signingDomain).toLowerCase()}` : null;
  const key = keyName ? resolver.used.get(keyName) : undefined;
  let result: DkimVerdict['result'];
  let reason = comment;
  if (!supported) result = 'unsupported';
  else if (status === 'pass') result = 'pass';
  else if (comment === 'no key') {
    result = 'no-key';
    reason = `no key for ${keyName} in the case key store`;
  } else if (bodyHash === 'body-altered') {
    result = 'fail';
    reason = 'body hash did not verify: the body was changed after signing';
  } else result = 'fail';
  const limit = r.canonBodyLengthLimited ? Number(r.canonBodyLengthLimit) : null;
  if (limit !== null) reason = [reason, `l=${limit}: only part of the body is signed; text may have been appended`].filter(Boolean).join('; ');
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
  };
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
