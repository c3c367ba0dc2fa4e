/** A message body split into what the sender wrote and what they quoted (collapsed by default in threads). */
export type TextBlock = { kind: 'text'; text: string } | { kind: 'quote'; text: string; lines: number };

const QUOTE = /^\s*>/;
/** "On Tue, 17 Nov 2009, Carl wrote:" / "Le 3 mai 2017, Jean a écrit :" introduces the quote below it. */
const ATTRIBUTION = /(wrote|a écrit|schrieb|escribió)\s*:\s*$/i;

export function splitQuoted(text: string): TextBlock[] {
  const lines = text.split(/\r?\n/);
  const blocks: TextBlock[] = [];
  let i = 0;
  while (i < lines.length) {
    const startsQuote = QUOTE.test(lines[i]!) || (ATTRIBUTION.test(lines[i]!) && QUOTE.test(lines[i + 1] ?? ''));
    const start = i;
    if (startsQuote) {
      if (!QUOTE.test(lines[i]!)) i++;
      while (i < lines.length && (QUOTE.test(lines[i]!) || (lines[i]!.trim() === '' && QUOTE.test(lines[i + 1] ?? '')))) i++;
      blocks.push({ kind: 'quote', text: lines.slice(start, i).join('\n'), lines: i - start });
    } else {
      while (i < lines.length && !QUOTE.test(lines[i]!) && !(ATTRIBUTION.test(lines[i]!) && QUOTE.test(lines[i + 1] ?? ''))) i++;
      blocks.push({ kind: 'text', text: lines.slice(start, i).join('\n') });
    }
  }
  return blocks;
}
