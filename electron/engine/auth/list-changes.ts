import { createHash, type Hash } from 'node:crypto';
import type { DkimVerdict, ListChange } from '../../../shared/types';
import { readRawHeaders } from '../parse/raw-headers';

/** Messages larger than this are not searched for a signed prefix (the search hashes once per line). */
const MAX_BODY = 16 * 1024 * 1024;
const MAX_SHOWN = 64 * 1024;

export type Reverify = (raw: Buffer) => Promise<DkimVerdict | undefined>;

/**
 * A signature that failed may have been broken by a mailing list, which legitimately changes mail after
 * the author's server signed it: it appends a footer to the body and tags the subject ("[dev] …").
 * Undo exactly those changes and verify again:
 *  - footer: the signed body hash bh= matches a prefix of the body that ends at a line end; what follows is
 *    the list's addition (shown in full). Any other change (a word edited inside the signed part) cannot
 *    produce a matching prefix, and stays "body altered".
 *  - subject tag: the signed headers verify once a leading "[tag] " is removed from Subject.
 *  - re-folded headers: relaxed header canonicalization (used by nearly every signer) ignores folding; under
 *    c=simple/… a list that folds a long Subject breaks the signature, which verifies again once the signed
 *    headers are unfolded (RFC 5322 unfolding, or each fold turned into one space).
 * All this only when a mailing-list header (List-Id…) says a list handled the message. The verdict then is the cryptographic result on the reconstructed original, with the changes
 * listed and a caveat; if nothing explains the failure the verdict is returned unchanged.
 */
export async function explainListChanges(raw: Buffer, v: DkimVerdict, tags: Map<string, string>, reverify: Reverify): Promise<DkimVerdict> {
  const bh = tags.get('bh');
  const bodyCanon = (v.canonicalization.split('/')[1] ?? 'simple').toLowerCase() as 'simple' | 'relaxed';
  const hashAlgo = v.algorithm.toLowerCase().endsWith('sha1') ? 'sha1' : 'sha256';
  const { bodyOffset } = readRawHeaders(raw);
  if (!bh || bodyOffset < 0 || v.bodyLengthLimit !== null) return v;
  const changes: ListChange[] = [];
  let original = raw;
  if (v.bodyHash === 'body-altered') {
    const body = raw.subarray(bodyOffset);
    if (body.length > MAX_BODY) return v;
    const cut = signedPrefixEnd(body, bodyCanon, hashAlgo, bh);
    if (cut === null) return strippedAlternative(raw, body) ? { ...v, reason: `${v.reason}; the message is multipart/alternative with a single part left: a list that strips HTML parts (as Apache's does) would cause this, but a removed part cannot be restored, so the body cannot be verified` } : v;
    const added = body.subarray(cut);
    original = Buffer.concat([raw.subarray(0, bodyOffset), body.subarray(0, cut)]);
    changes.push({ kind: 'footer', bytes: added.length, text: added.subarray(0, MAX_SHOWN).toString('utf8'), description: `footer of ${added.length} bytes appended by the list, original body verified` });
  }
  // Undo a subject tag and header re-folding (simple header canonicalization only), alone or together.
  let again = await reverify(original);
  if (again?.result === 'fail') {
    const tagged = v.headerFields.includes('subject') ? withoutSubjectTag(original) : null;
    const unfolds = v.canonicalization.split('/')[0]!.toLowerCase() === 'simple' ? ([' ', ''] as const) : [];
    const attempts: { raw: Buffer; changes: ListChange[] }[] = [];
    if (tagged) attempts.push({ raw: tagged.raw, changes: [subjectTagChange(tagged.tag)] });
    for (const joiner of unfolds) {
      for (const base of tagged ? [original, tagged.raw] : [original]) {
        const unfolded = unfoldSignedHeaders(base, v.headerFields, joiner);
        if (unfolded) attempts.push({ raw: unfolded.raw, changes: [...(base === original ? [] : [subjectTagChange(tagged!.tag)]), unfolded.change] });
      }
    }
    for (const a of attempts) {
      const retry = await reverify(a.raw);
      if (retry && retry.result !== 'fail') {
        again = retry;
        changes.push(...a.changes);
        break;
      }
    }
  }
  if (!again || changes.length === 0 || again.result === 'fail') return v;
  const what = changes.map((c) => c.description).join('; ');
  const list = listName(raw);
  // Without any mailing-list header nothing says a list made these changes: the verdict stays a failure,
  // and what was found is said and shown (a forger can append text to signed mail just as a list does).
  const undone = again.result === 'pass' ? 'the signature verifies' : 'the signed body hash matches (no key to check the signature itself)';
  if (list === null) return { ...v, reason: `${v.reason}; ${undone} on the message as it was before these changes: ${what.replace(/ by the list/g, '')}; but no List-Id or other mailing-list header says a list made them`, listChanges: changes };
  return {
    ...again,
    bodyHash: changes.some((c) => c.kind === 'footer') ? 'list-footer' : again.bodyHash,
    reason: [what, again.reason].filter(Boolean).join('; '),
    listChanges: changes,
    caveats: [
      ...again.caveats,
      { name: 'list-modified', message: `A mailing list${list ? ` (${list})` : ''} changed this message after it was signed: ${what}. The signature covers the original${changes.some((c) => c.kind !== 'headers-refolded') ? '; the added text is not signed by anyone' : ''}.` },
    ],
  };
}

/** The list's name (List-Id, else '' for another mailing-list header), or null when nothing says a list handled the message. */
function listName(raw: Buffer): string | null {
  const h = readRawHeaders(raw).values;
  const id = h.get('list-id')?.[0]?.trim();
  if (id) return id;
  return ['list-post', 'mailing-list', 'x-mailing-list'].some((n) => h.has(n)) ? '' : null;
}

const subjectTagChange = (tag: string): ListChange => ({ kind: 'subject-tag', bytes: Buffer.byteLength(tag), text: tag, description: `subject tag "${tag.trim()}" added by the list, original subject verified` });

/**
 * The byte offset in `body` where the signed part ends: the end of the line after which the canonical
 * body hashes to `bh`, or null. The hash is carried line by line and copied at each line end, so the
 * whole search costs about one hash of the body.
 */
export function signedPrefixEnd(body: Buffer, canon: 'simple' | 'relaxed', algo: 'sha1' | 'sha256', bh: string): number | null {
  const hash = createHash(algo);
  const matches = (h: Hash) => h.copy().digest('base64') === bh;
  // The empty body: relaxed hashes nothing, simple hashes one CRLF.
  if (canon === 'relaxed' ? createHash(algo).digest('base64') === bh : createHash(algo).update('\r\n').digest('base64') === bh) return 0;
  let pendingEmpty = 0;
  let start = 0;
  while (start < body.length) {
    let end = body.indexOf(0x0a, start);
    const next = end < 0 ? body.length : end + 1;
    if (end < 0) end = body.length;
    let line = body.toString('latin1', start, end > start && body[end - 1] === 0x0d ? end - 1 : end);
    if (canon === 'relaxed') line = line.replace(/[ \t]+/g, ' ').replace(/ $/, '');
    if (line === '') pendingEmpty++;
    else {
      if (pendingEmpty) hash.update('\r\n'.repeat(pendingEmpty), 'latin1');
      pendingEmpty = 0;
      hash.update(line + '\r\n', 'latin1');
      if (matches(hash)) return next;
    }
    start = next;
  }
  return null;
}

/** The message with a leading "[tag] " (or "Re: [tag] ") removed from its Subject, or null. */
function withoutSubjectTag(raw: Buffer): { raw: Buffer; tag: string } | null {
  const { bodyOffset } = readRawHeaders(raw);
  const head = raw.toString('latin1', 0, bodyOffset < 0 ? raw.length : bodyOffset);
  const m = /^(Subject:[ \t]*(?:(?:Re|Fwd?|AW|TR|RE):[ \t]*)?)(\[[^\]\r\n]{1,40}\][ \t]*)/im.exec(head);
  if (!m) return null;
  const at = m.index + m[1]!.length;
  const fixed = Buffer.concat([raw.subarray(0, at), raw.subarray(at + Buffer.byteLength(m[2]!, 'latin1'))]);
  return { raw: fixed, tag: m[2]! };
}

/**
 * The message with every folded header field that the signature covers unfolded: `joiner` '' removes each
 * CRLF before whitespace (RFC 5322 §2.2.3), ' ' turns each fold with its whitespace into one space.
 */
function unfoldSignedHeaders(raw: Buffer, headerFields: string[], joiner: '' | ' '): { raw: Buffer; change: ListChange } | null {
  const { bodyOffset } = readRawHeaders(raw);
  if (bodyOffset < 0) return null;
  const signed = new Set(headerFields);
  const names: string[] = [];
  const fields = raw.toString('latin1', 0, bodyOffset).split(/(?=^[^ \t\r\n])/m);
  const out = fields.map((f) => {
    const name = f.slice(0, f.indexOf(':')).trim();
    if (!signed.has(name.toLowerCase()) || !/\r?\n[ \t]/.test(f)) return f;
    names.push(name);
    return joiner === '' ? f.replace(/\r?\n(?=[ \t])/g, '') : f.replace(/\r?\n[ \t]+/g, ' ');
  });
  if (names.length === 0) return null;
  const head = Buffer.from(out.join(''), 'latin1');
  const list = [...new Set(names)].join(', ');
  return {
    raw: Buffer.concat([head, raw.subarray(bodyOffset)]),
    change: { kind: 'headers-refolded', bytes: bodyOffset - head.length, text: list, description: `headers re-folded by the list (${list}), original headers verified once unfolded` },
  };
}

/** multipart/alternative with one part: the typical trace of a list that removed the HTML alternative. */
function strippedAlternative(raw: Buffer, body: Buffer): boolean {
  const type = readRawHeaders(raw).values.get('content-type')?.[0] ?? '';
  const boundary = /^\s*multipart\/alternative\s*;[\s\S]*?boundary\s*=\s*"?([^";\r\n]+)"?/i.exec(type)?.[1];
  if (!boundary) return false;
  const esc = boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return [...body.toString('latin1').matchAll(new RegExp(`^--${esc}[ \\t]*\\r?$`, 'gm'))].length === 1;
}
