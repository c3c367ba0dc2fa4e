/**
 * Characters that change how text is displayed without being seen: bidi controls (U+202E turns
 * "invoice‮fdp.exe" into "invoiceexe.pdf" on screen), zero-width and other invisible characters (they
 * make two different addresses or names look identical), language tags. Untrusted strings — subjects,
 * senders, attachment names, header values, raw source — are shown through this one function, which
 * replaces each such character by a visible marker like ⟨U+202E⟩, so the display cannot lie.
 */
const INVISIBLE =
  /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF9-\uFFFB]|\uDB40[\uDC00-\uDC7F\uDD00-\uDDEF]/g;

export function visibleText(s: string): string;
export function visibleText(s: string | null | undefined): string | null | undefined;
export function visibleText(s: string | null | undefined): string | null | undefined {
  if (!s) return s;
  return s.replace(INVISIBLE, (c) => `⟨U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟩`);
}
