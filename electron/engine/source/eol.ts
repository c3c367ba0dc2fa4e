/**
 * Line endings as mbox writers produced them: LF (Unix), CRLF (Windows, some archivers) and bare CR
 * (classic Mac OS). A CR counts as a line end only when no LF follows it (otherwise it is half of a CRLF).
 * All positions are buffer indices; callers translate file positions.
 */

export const LF = 0x0a;
export const CR = 0x0d;

/** Length of the line terminator starting at `i` (2 for CRLF, 1 for LF or a bare CR), 0 when none. */
export function eolAt(buf: Buffer, i: number): number {
  const b = buf[i];
  if (b === LF) return 1;
  if (b === CR) return buf[i + 1] === LF ? 2 : 1;
  return 0;
}

/**
 * Length of the line terminator that ends right before `i`, looking no further back than `lo`; 0 when the
 * byte before `i` does not end a line. A CR right before `i` ends a line only when `buf[i]` is not LF.
 */
export function eolBefore(buf: Buffer, i: number, lo: number): number {
  if (i - 1 < lo) return 0;
  const b = buf[i - 1];
  if (b === LF) return i - 2 >= lo && buf[i - 2] === CR ? 2 : 1;
  if (b === CR && buf[i] !== LF) return 1;
  return 0;
}

/** Index of the first CR or LF at or after `from` (or -1): the end of the line's text. */
export function lineTextEnd(buf: Buffer, from = 0): number {
  const lf = buf.indexOf(LF, from);
  // A CR can only come first when it lies before the first LF: search just that stretch.
  const cr = buf.subarray(0, lf === -1 ? buf.length : lf).indexOf(CR, from);
  return cr !== -1 ? cr : lf;
}

/**
 * Offset just past the empty line that ends a header block starting at 0, or -1 when there is none in
 * `head`. Works for LF, CRLF, CR-only and mixed endings.
 */
export function headerBlockEnd(head: Buffer): number {
  if (eolAt(head, 0) > 0) return eolAt(head, 0);
  // The LF forms are searched first (fast, and the common case); a CR-only blank line can only be earlier.
  // "\n\r\n" only up to the first "\n\n" (one found later is not the first blank line): the mbox splitter
  // calls this on a 64 KiB probe per message, and LF-only mail has no "\n\r\n" to stop the search.
  const lf = head.indexOf('\n\n');
  const lfForms = [lf, head.subarray(0, lf === -1 ? head.length : lf + 2).indexOf('\n\r\n')].filter((i) => i !== -1);
  const limit = lfForms.length ? Math.min(...lfForms) : head.length;
  const crOnly = head.subarray(0, limit + 1).indexOf('\r\r');
  const idx = crOnly !== -1 ? crOnly : lfForms.length ? limit : -1;
  if (idx === -1) return -1;
  const first = eolAt(head, idx);
  const second = eolAt(head, idx + first);
  return second > 0 && idx + first + second <= head.length ? idx + first + second : -1;
}
