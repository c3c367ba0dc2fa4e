import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * Message bodies and document pages as raw deflate (issue 15). Most mail bodies are short (the generated archive's median is
 * 685 bytes), and there zlib's per-call set-up (a stream object and its state, ≈ 0.1 ms) cost more than
 * the compression of a few hundred bytes is worth: bodies under SMALL bytes are written as one stored
 * deflate block (RFC 1951 §3.2.4: a header byte, LEN, NLEN, the bytes), which every inflater reads as
 * it reads zlib's output. Larger texts are compressed as before.
 */
const SMALL = 1024;

export function deflateText(text: string): Uint8Array {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length >= SMALL) return new Uint8Array(deflateRawSync(bytes, { level: 1 })); // exact-size copy: see parse-message.ts
  const out = new Uint8Array(bytes.length + 5);
  out[0] = 0x01; // BFINAL = 1, BTYPE = 00 (stored)
  out[1] = bytes.length & 0xff;
  out[2] = bytes.length >> 8;
  out[3] = ~bytes.length & 0xff;
  out[4] = (~bytes.length >> 8) & 0xff;
  out.set(bytes, 5);
  return out;
}

/** The text of a raw deflate stream; one stored block (deflateText's small bodies) is read without zlib. */
export function inflateText(deflated: Uint8Array): string {
  return inflateBytes(deflated).toString('utf8');
}

/**
 * The UTF-8 bytes of a raw deflate stream, not decoded: a view of one stored block (deflateText's small
 * bodies, no copy), else zlib's output. A phrase's verifier decodes only the part it looks at.
 */
export function inflateBytes(deflated: Uint8Array): Buffer {
  const b = Buffer.from(deflated.buffer, deflated.byteOffset, deflated.byteLength);
  if (b.length >= 5 && b[0] === 0x01) {
    const len = b.readUInt16LE(1);
    if (b.readUInt16LE(3) === (~len & 0xffff) && len + 5 === b.length) return b.subarray(5);
  }
  // zlib's output chunk sized to the text expected (≈4× the compressed bytes) rather than its default 16 KiB:
  // a phrase inflates thousands of short bodies, and a 16 KiB buffer each was ≈15 % of the time, and garbage.
  // A longer text only takes more chunks.
  return inflateRawSync(b, { chunkSize: Math.max(1024, Math.min(16 * 1024, b.length * 4)) });
}
