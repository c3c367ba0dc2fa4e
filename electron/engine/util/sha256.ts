import * as crypto from 'node:crypto';

/**
 * SHA-256 of one buffer or string (UTF-8), as lower-case hex. Node's one-shot crypto.hash (Node ≥ 20.12)
 * skips the Hash object createHash makes: ≈1.3 µs less per call, and a parse worker hashes each message,
 * each attachment and each duplicate key (issue 15). Older Node (and an Electron built on one) falls back.
 */
const oneShot = (crypto as { hash?: (algorithm: string, data: string | Buffer, encoding: 'hex') => string }).hash;

export const sha256Hex: (data: string | Buffer) => string = oneShot
  ? (data) => oneShot('sha256', data, 'hex')
  : (data) => crypto.createHash('sha256').update(data).digest('hex');
