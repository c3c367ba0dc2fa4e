import type { AuthReport } from '../../../shared/types';
import { readRawHeaders } from '../parse/raw-headers';
import { anomalyFlags } from './anomaly-flags';
import { checkSignatures } from './dkim-check';
import type { OfflineResolver } from './key-store';
import { receivedChain } from './received-chain';
import { hasSignatures, unsignedReport } from './unsigned-report';

/** Everything Casefile can say offline about where one message came from and whether it was altered. */
export async function authenticateMessage(raw: Buffer, resolver: OfflineResolver, meta: { dateMs: number | null; fromAddress: string | null }): Promise<{ report: AuthReport; signed: boolean }> {
  const headers = readRawHeaders(raw).values;
  // Messages without a signature header skip the verifier entirely.
  if (!hasSignatures(headers.keys())) return { report: unsignedReport(headers, meta), signed: false };
  const sig = await checkSignatures(raw, resolver, meta.dateMs === null ? null : new Date(meta.dateMs));
  const received = receivedChain(headers.get('received') ?? []);
  const flags = anomalyFlags({ headers, dateMs: meta.dateMs, fromAddress: meta.fromAddress, received, dkim: sig.dkim });
  return { report: { dkim: sig.dkim, arc: sig.arc, received, flags }, signed: true };
}
