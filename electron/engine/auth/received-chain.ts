// @ts-expect-error mailauth ships no types for its Received parser
import { parseReceived } from 'mailauth/lib/parse-received';
import type { ReceivedHop } from '../../../shared/types';
import { parseDateHeader } from '../parse/raw-headers';

/**
 * Received headers in transit order. Each relay prepends its header, so the header at the top is the last
 * hop: reverse them. `delaySeconds` is the time since the previous hop; a negative delay means a clock
 * (or a forger) put a hop before the one it came from.
 */
export function receivedChain(receivedValues: string[]): ReceivedHop[] {
  const hops = receivedValues
    .slice()
    .reverse()
    .map((v) => {
      const p: any = parseReceived(`Received: ${v}`) || {};
      const val = (k: string) => (p[k]?.value ? String(p[k].value) : null);
      const ms = typeof p.timestamp === 'string' && p.timestamp.trim() ? parseDateHeader(p.timestamp.trim()) : null;
      const fromComment = p.from?.comment ? ` (${p.from.comment})` : '';
      return {
        from: val('from') ? `${val('from')}${fromComment}` : null,
        by: val('by'),
        with: val('with'),
        id: val('id'),
        for: val('for'),
        date: ms != null ? new Date(ms).toISOString() : null,
        delaySeconds: null as number | null,
      };
    });
  for (let i = 1; i < hops.length; i++) {
    const a = hops[i - 1]!.date;
    const b = hops[i]!.date;
    if (a && b) hops[i]!.delaySeconds = Math.round((Date.parse(b) - Date.parse(a)) / 1000);
  }
  return hops;
}
