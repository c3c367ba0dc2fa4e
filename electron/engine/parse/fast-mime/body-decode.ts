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
  let s = body.toString('latin1');
  // The usual body (alphabet and line ends only) goes to Buffer.from as it is, which skips the line
  // ends; anything else is cleaned first as libbase64's stream cleans it.
  if (/[^a-zA-Z0-9+/=\r\n]/.test(s)) s = s.replace(NOT_BASE64, '');
  // libbase64's stream restarts quartets after a padding run; with padding only at the very end its
  // output is Buffer.from() of the whole. Padding anywhere else is left to mailparser.
  const pad = s.indexOf('=');
  if (pad >= 0 && !/^={1,2}[\r\n]*$/.test(s.slice(pad))) return null;
  return Buffer.from(s, 'base64');
}

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
  return decoded.toString().replace(/\r?\n/g, '\n');
}
