// @ts-expect-error mailauth ships no types for its body canonicalizers
import { dkimBody } from 'mailauth/lib/dkim/body';
import { readRawHeaders } from '../parse/raw-headers';

/**
 * The DKIM body hash (bh=) of a message's body for a canonicalization and hash algorithm, as a signer
 * would compute it (lines as CRLF): lets an investigator compare a message with a bh= value from elsewhere (a copy of
 * the same mail, a published hash), signature or not.
 */
export function dkimBodyHash(raw: Buffer, canonicalization: 'simple' | 'relaxed', algorithm: 'sha1' | 'sha256', maxLength?: number): string {
  const { bodyOffset } = readRawHeaders(raw);
  const body = bodyOffset === -1 ? Buffer.alloc(0) : raw.subarray(bodyOffset);
  const hasher = dkimBody(canonicalization, algorithm, maxLength ?? '');
  // On the wire every line ends in CRLF; files on disk often keep bare LF. Hash what was signed, as
  // mailauth's verifier does.
  hasher.update(Buffer.from(body.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1'));
  return hasher.digest('base64');
}
