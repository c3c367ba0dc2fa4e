/**
 * Whether UTF-8 text holds a phrase, decoding only a window of it when it can (issue 15: `"second tour"`
 * at 1M verifies 4,731 bodies, ≈3.4 MB, and decoding them whole was ≈20 ms of ≈70 ms of verification).
 *
 * The phrase's longest plain ASCII word of 5 letters or more (a shorter one is inside too many other words),
 * less its first letter (which may be a capital), is looked for in the bytes (`Buffer.indexOf`, no decoding). Around an occurrence, a window of the bytes that begins and
 * ends on an ASCII byte (or at the text's ends) is decoded and the phrase's pattern run on it. A UTF-8
 * decoder starts afresh at an ASCII byte (an unfinished sequence before it gives one U+FFFD, as at the end
 * of the input), so the window's text is exactly that part of the whole text, and a match inside the
 * window whose neighbouring characters are inside it too — the pattern's look-behind and look-ahead see
 * one character each side — is a match in the whole text. Only such a match answers yes; otherwise
 * (needle absent, capitals, accents on the needle, œ, a match touching the window's edge) the whole text
 * is decoded and tested as before. So the answer is always `pattern.test(bytes.toString('utf8'))`.
 */
export class PhraseWindow {
  private readonly needle: Buffer | null = null;
  /** Bytes of the window before the needle and after its end: the rest of the phrase at 4 bytes per character, and slack for gaps. */
  private readonly before: number = 0;
  private readonly after: number = 0;

  /** `words`: the phrase's folded words (phraseKey); `pattern`: phrasePattern of the phrase (not global). */
  constructor(
    words: string[],
    private readonly pattern: RegExp,
  ) {
    let longest = -1;
    for (let i = 0; i < words.length; i++) if (/^[a-z0-9]{5,}$/.test(words[i]!) && (longest < 0 || words[i]!.length > words[longest]!.length)) longest = i;
    if (longest < 0) return;
    const word = words[longest]!;
    this.needle = Buffer.from(word.slice(1), 'latin1');
    const charsBefore = words.slice(0, longest).reduce((n, w) => n + w.length + 1, 1);
    const charsAfter = words.slice(longest + 1).reduce((n, w) => n + w.length + 1, 0);
    this.before = charsBefore * 4 + SLACK;
    this.after = charsAfter * 4 + SLACK;
  }

  /** pattern.test(bytes.toString('utf8')), decoding a window around the needle when that shows a match. */
  holds(bytes: Buffer): boolean {
    if (this.needle) {
      let at = bytes.indexOf(this.needle);
      for (let tries = 0; at >= 0 && tries < TRIES; tries++) {
        if (this.inWindow(bytes, at)) return true;
        at = bytes.indexOf(this.needle, at + 1);
      }
    }
    return this.pattern.test(bytes.toString('utf8'));
  }

  /** Whether the window around the needle at byte `at` shows a match of the pattern with both neighbours inside it. */
  private inWindow(bytes: Buffer, at: number): boolean {
    const end = bytes.length;
    let from = Math.max(0, at - this.before);
    for (let k = 0; from > 0 && bytes[from]! >= 0x80; k++) {
      if (k === ALIGN) return false;
      from--;
    }
    let to = Math.min(end, at + this.needle!.length + this.after);
    for (let k = 0; to < end && bytes[to]! >= 0x80; k++) {
      if (k === ALIGN) return false;
      to++;
    }
    const text = bytes.toString('utf8', from, to);
    const m = this.pattern.exec(text);
    if (!m) return false;
    // At an inner edge the pattern's look-behind or look-ahead would see the window's end, not the text's character.
    return (m.index > 0 || from === 0) && (m.index + m[0].length < text.length || to === end);
  }
}

/** Extra bytes each side of the window (gaps of more than one character between words, accents). */
const SLACK = 32;
/** Occurrences of the needle tried before decoding the whole text. */
const TRIES = 2;
/** Bytes stepped over to reach an ASCII byte at a window's edge (a UTF-8 character is at most 4). */
const ALIGN = 8;
