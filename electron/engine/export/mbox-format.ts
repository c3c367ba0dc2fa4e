import { classifyFromLine } from '../source/from-line';

/**
 * mboxrd writing: every line matching /^>*From / gains one '>', so un-quoting (removing one '>')
 * gives back the original bytes exactly. The original envelope line is kept when there was one.
 */
export function quoteMboxrd(raw: Buffer): { bytes: Buffer; quoted: boolean } {
  const s = raw.toString('latin1');
  const out = s.replace(/^(>*From )/gm, '>$1');
  return out.length === s.length ? { bytes: raw, quoted: false } : { bytes: Buffer.from(out, 'latin1'), quoted: true };
}

/** The From_ line for a message: its original envelope if it had one, else one built from sender and date. */
export function envelopeLine(original: string | null, sender: string | null, date: Date | null): string {
  if (original && classifyFromLine(original) !== 'none' && !/[\r\n]/.test(original)) return original.replace(/\r$/, '');
  const who = sender && /^[^\s@]+@[^\s@]+$/.test(sender) ? sender : 'MAILER-DAEMON';
  return `From ${who} ${asctime(date ?? new Date(0))}`;
}

/** ctime(3) format in UTC, as mbox envelopes carry it: "Sat Jan  3 01:05:34 1996". */
export function asctime(d: Date): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}
