/**
 * The rule that decides whether a line starting with "From " separates two messages in an mbox.
 *
 * Writers disagree (mboxo, mboxrd, mboxcl, mboxcl2, Thunderbird's "From - date", archivers that leave body
 * lines starting with "From " unescaped), so a bare "From " prefix is not enough. Our rule:
 *  1. The first line of the file (after an optional UTF-8 BOM) is always a separator when it starts "From ".
 *  2. Any later "From " line is a separator when it is preceded by an empty line AND looks like an
 *     envelope: the sender token is empty, "-", contains "@", or is MAILER-DAEMON, or the rest of the line
 *     carries a time (hh:mm) and a four-digit year as ctime() writes them.
 *  3. A "From " line with a full envelope (address with "@" plus time and year) is a separator even when
 *     no empty line precedes it (some archivers omit it).
 *  4. Netscape/Mozilla's bare envelope, "From -" alone or followed only by a ctime() date, is a separator
 *     without an empty line too, when the next line is a header field (those writers put none before it).
 * So "From Russia with love" in a body is text, "From - Mon Jan 1 00:00:00 2001" and
 * "From a@b.c  Sat Jan  3 01:05:34 1996" are separators.
 */

const TIME = /\b\d{1,2}:\d{2}(:\d{2})?\b/;
const YEAR = /\b(19|20)\d{2}\b/;
/** Longer lines are never envelopes; bounds the work per candidate. */
export const MAX_FROM_LINE = 1024;

export type FromLineStrength = 'none' | 'weak' | 'strong';

export function classifyFromLine(line: string): FromLineStrength {
  if (!line.startsWith('From ') || line.length > MAX_FROM_LINE) return 'none';
  const rest = line.slice(5).trim();
  const sender = rest.split(/\s+/, 1)[0] ?? '';
  const dated = TIME.test(rest) && YEAR.test(rest);
  const senderLike = sender === '' || sender === '-' || sender.includes('@') || sender === 'MAILER-DAEMON';
  if (sender.includes('@') && dated) return 'strong';
  if (senderLike || dated) return 'weak';
  return 'none';
}

const CTIME = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d{1,2} \d{1,2}:\d{2}(:\d{2})? \d{4}$/;

/** Netscape/Mozilla's envelope: "From -" with nothing after it but optional spaces or a ctime() date. */
export function isMozillaEnvelope(line: string): boolean {
  if (!line.startsWith('From -')) return false;
  const rest = line.slice(6);
  if (rest.trim() === '') return true;
  return rest.startsWith(' ') && CTIME.test(rest.trim());
}

/** A header field line ("Name: value"): what must follow a bare Mozilla envelope. */
export function isHeaderLine(line: string): boolean {
  return /^[!-9;-~]+:/.test(line);
}
