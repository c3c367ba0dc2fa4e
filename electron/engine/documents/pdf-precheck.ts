/**
 * A structural pre-check before pdf.js (issue 15). pdf.js reaches a document only through a trailer
 * dictionary (after the keyword `trailer`) or a cross-reference stream, which is an indirect object
 * (`N G obj`); recovering a damaged file it scans for those same two tokens (XRef.indexObjects). Bytes
 * holding neither word cannot be opened: pdf.js would scan them all, rebuild an empty cross-reference
 * table and fail with "Invalid PDF structure." — seconds of CPU per archive of random-bytes "PDFs".
 * Two memchr-speed searches give the same verdict. Keywords are literal bytes in PDF syntax (no escapes,
 * unlike names), so nothing pdf.js can read is turned away (test/unit/pdf-precheck.test.ts compares
 * every real PDF of the corpora, whole and truncated, with and without this check).
 */
export const PDF_NO_STRUCTURE = 'Invalid PDF structure.'; // pdf.js's own message for the same bytes

export function lacksPdfStructure(bytes: Uint8Array): boolean {
  if (bytes.byteLength === 0) return false; // pdf.js has its own message for an empty file
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return b.indexOf('obj', 0, 'latin1') < 0 && b.indexOf('trailer', 0, 'latin1') < 0;
}
