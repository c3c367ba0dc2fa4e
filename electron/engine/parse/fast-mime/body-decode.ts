import { createRequire } from 'node:module';
import iconv from 'iconv-lite';
import libmime from 'libmime';

/**
 * Transfer and charset decoding of a whole part, giving what mailparser's decoder streams give for the
 * same bytes. Every function returns null for input it does not reproduce exactly (the caller then uses
 * mailparser).
 */

const require = createRequire(import.meta.url);
// The decoders mailsplit's MimeNode.getDecoder() streams through (libqp's stream decodes the whole
// input at the end with decode(), so the function is its output by construction).
const libqp = require('libqp');

/** libbase64.Decoder drops these characters before decoding (it keeps a=z, A-Z, 0-9, +, / and =). */
const NOT_BASE64 = /[^a-zA-Z0-9+/=]/g;

/** The decoded bytes of one leaf body, or null. */
export function transferDecode(encoding: string | false, body: Buffer): Buffer | null {
  if (encoding === 'base64') return base64(body);
  if (encoding === 'quoted-printable') return libqp.decode(body) as Buffer;
  // mailsplit passes any other encoding (7bit, 8bit, binary, unknown) through unchanged.
  return body;
}

function base64(body: Buffer): Buffer | null {
  // Node's base64 decoder skips every byte outside the alphabet, as libbase64's cleaning does, except '-' and
  // '_' (it reads them as base64url's 62 and 63) and padding in the middle: with neither, the body goes to
  // Buffer.from as it is. Both checks are memchr scans over the bytes, not a regular expression over a
  // string copy (the alphabet check was 2–3 % of a parse worker's time, issue 15).
  // test/unit/base64-decode.test.ts holds this to libbase64's own decoder.
  const pad = body.indexOf(0x3d);
  if (pad >= 0 && !paddingOnlyAtEnd(body, pad)) return null;
  if (body.indexOf(0x2d) < 0 && body.indexOf(0x5f) < 0) return Buffer.from(body.toString('latin1'), 'base64');
  return Buffer.from(body.toString('latin1').replace(NOT_BASE64, ''), 'base64');
}

/**
 * Whether the alphabet characters and '=' from the first '=' (at `pad`) are one or two '=': libbase64's
 * stream restarts quartets after a padding run, so padding only at the very end is what Buffer.from
 * decodes the same way. Anything else is left to mailparser.
 */
function paddingOnlyAtEnd(body: Buffer, pad: number): boolean {
  let equals = 0;
  for (let i = pad; i < body.length; i++) {
    const c = body[i]!;
    if (c === 0x3d) {
      if (++equals > 2) return false;
    } else if (BASE64_ALPHABET[c] === 1) return false;
  }
  return true;
}

/** 1 for the bytes of base64's alphabet (A–Z, a–z, 0–9, +, /). */
const BASE64_ALPHABET = new Uint8Array(256);
for (const c of Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 'latin1')) BASE64_ALPHABET[c] = 1;

/** Charsets mailparser does not decode at all (its own test). */
const PASS_THROUGH = new Set(['ascii', 'usascii', 'utf8']);
/** Single-byte charsets: libmime's stream output is decode() of the whole, with no surrogates to split. */
const SINGLE_BYTE = /^(?:ISO-8859-(?:[1-9]|1[0-6])|WINDOWS-125[0-8]|KOI8-[RU])$/i;

/** A text part's content as mailparser's textContent, or null for a charset left to mailparser. */
export function decodeText(bytes: Buffer, charset: string | false): string | null {
  const name = charset || 'utf-8';
  let decoded: Buffer;
  if (PASS_THROUGH.has(name.toLowerCase().replace(/[^a-z0-9]+/g, ''))) {
    decoded = bytes;
  } else {
    const normalized = libmime.normalizeCharset(name);
    if (!SINGLE_BYTE.test(normalized) || !iconv.encodingExists(normalized)) return null;
    // What libmime's decode stream does for an iconv-lite single-byte codec, on the whole part at once.
    decoded = Buffer.from(iconv.decode(bytes, normalized), 'utf-8');
  }
  const text = decoded.toString();
  // Text without a CR has no CRLF to turn into LF (the replace scanned and copied every body).
  return text.includes('\r') ? text.replace(/\r?\n/g, '\n') : text;
}
