import type { DkimVerdict } from '../../../shared/types';

/** Versions a verifier accepts: RFC 6376's 1, the pre-standard drafts' 0.5, and none (drafts before v=). */
const VERSIONS = new Set(['1', '0.5']);

/**
 * Why a DKIM-Signature cannot be verified at all (RFC 6376 §6.1.1), or null: a required tag is missing
 * (`fail`, a malformed signature), or it names a version, algorithm, canonicalization or key query method
 * DKIM does not define (`unsupported`). mailauth silently skips most of these; Casefile names each.
 */
export function signatureProblem(tags: Map<string, string>): { result: 'fail' | 'unsupported'; reason: string } | null {
  const missing = ['d', 's', 'b', 'h'].filter((t) => !tags.get(t));
  if (missing.length) return { result: 'fail', reason: `the DKIM-Signature is malformed: ${missing.map((t) => `${t}=`).join(', ')} missing or empty` };
  // The ietf-00 drafts (2005) signed the body inside b= and had no bh=: a format no verifier reads any more.
  if (!tags.get('bh')) return { result: 'unsupported', reason: 'the signature has no bh= (body hash): a pre-standard DKIM draft signature (2005), which cannot be verified' };
  const v = tags.get('v');
  if (v !== undefined && !VERSIONS.has(v)) return { result: 'unsupported', reason: `the signature's version v=${v} is not one DKIM defines` };
  const a = (tags.get('a') ?? '').toLowerCase();
  if (!/^(rsa|ed25519)-(sha1|sha256)$/.test(a)) return { result: 'unsupported', reason: `the signing algorithm a=${a || '(none)'} is not one DKIM defines (rsa-sha256, rsa-sha1, ed25519-sha256)` };
  const c = (tags.get('c') ?? 'simple').toLowerCase();
  if (!/^(simple|relaxed)(\/(simple|relaxed))?$/.test(c)) return { result: 'unsupported', reason: `the canonicalization c=${c} is not one DKIM defines (simple, relaxed)` };
  const q = tags.get('q');
  // Pre-standard drafts wrote q=dns; RFC 6376 defines dns/txt only. Any other method cannot fetch a key.
  if (q !== undefined && !q.toLowerCase().split(':').some((m) => m === 'dns/txt' || m === 'dns')) return { result: 'unsupported', reason: `the key query method q=${q} is not one DKIM defines (dns/txt): no key can be fetched for it` };
  return null;
}

/** The verdict for a signature that cannot be verified at all (see signatureProblem). */
export function unverifiableVerdict(tags: Map<string, string>, problem: { result: 'fail' | 'unsupported'; reason: string }): DkimVerdict {
  return {
    domain: tags.get('d') ?? '',
    selector: tags.get('s') ?? '',
    algorithm: tags.get('a') ?? '',
    canonicalization: tags.get('c') ?? '',
    bodyHash: 'unsupported',
    result: problem.result,
    reason: problem.reason,
    keySource: null,
    keySha256: null,
    bodyLengthLimit: null,
    headerFields: (tags.get('h') ?? '').split(':').map((h) => h.trim().toLowerCase()).filter(Boolean),
    caveats: [],
    keyBits: null,
    signedAt: null,
    expiresAt: null,
    listChanges: [],
  };
}
