import type { AuthReport } from '../../../shared/types';

// Apart from message-auth.ts: storing a report must not load the DKIM verifier (mailauth) on ingest's main thread.

/** The words `dkim:`, `arc:` and `flag:` search for. */
export function authTerms(r: AuthReport): string[] {
  const terms = new Set<string>();
  if (r.dkim.length === 0) terms.add('dkim:none');
  for (const d of r.dkim) {
    terms.add(`dkim:${d.result}`);
    if (d.bodyHash !== 'unsupported') terms.add(`dkim:${d.bodyHash}`);
    if (d.caveats?.length) terms.add('dkim:caveat');
  }
  terms.add(`arc:${r.arc.result}`);
  for (const f of r.flags) terms.add(`flag:${f.name}`);
  return [...terms];
}
