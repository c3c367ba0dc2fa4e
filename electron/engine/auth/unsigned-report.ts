import type { AuthReport } from '../../../shared/types';
import { anomalyFlags } from './anomaly-flags';
import { receivedChain } from './received-chain';

/** Header names that make a message "signed": its verdict needs keys (auth-pass.ts). */
const SIGNATURE_HEADERS = new Set(['dkim-signature', 'arc-seal', 'arc-message-signature', 'domainkey-signature']);

export function hasSignatures(headerNames: Iterable<string>): boolean {
  for (const n of headerNames) if (SIGNATURE_HEADERS.has(n)) return true;
  return false;
}

/**
 * The authenticity report of a message that carries no signature: the Received chain and the anomaly flags,
 * nothing that needs a key. A leaf module (no mailauth verifier), so parse workers can compute it while the
 * message is in memory (issue 15: the pass after ingest re-read every message for it).
 */
export function unsignedReport(headers: Map<string, string[]>, meta: { dateMs: number | null; fromAddress: string | null }): AuthReport {
  const received = receivedChain(headers.get('received') ?? []);
  const flags = anomalyFlags({ headers, dateMs: meta.dateMs, fromAddress: meta.fromAddress, received, dkim: [] });
  return { dkim: [], arc: { result: 'none', reason: null, instances: 0 }, received, flags };
}
