import type { ReceivedHop } from '../../../shared/types';

export type DateSource = 'received' | 'mbox-from';

/**
 * A date for a message without a usable Date header, so that it sorts and filters where it belongs
 * instead of sinking to the end: the first Received hop that carries a date (the first relay that took
 * the message, closest to the sender), else the mbox envelope line ("From sender Wed May  3 18:42:00
 * 2017", written by the archiving program; asctime has no zone, so it is read as UTC and said so).
 */
export function fallbackDate(received: ReceivedHop[], envelope: string | null): { ms: number; source: DateSource } | null {
  const hop = received.find((h) => h.date);
  if (hop) return { ms: Date.parse(hop.date!), source: 'received' };
  const m = envelope ? /^From\s+\S+\s+(\w{3}\s+\w{3}\s+\d{1,2}\s+\d{1,2}:\d{2}(?::\d{2})?\s+\d{4})/.exec(envelope) : null;
  if (!m) return null;
  const ms = Date.parse(`${m[1]!.replace(/\s+/g, ' ')} UTC`);
  return Number.isNaN(ms) ? null : { ms, source: 'mbox-from' };
}
