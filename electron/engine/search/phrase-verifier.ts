import { Deadline } from './query-cost';
import type Database from 'better-sqlite3';
import type { Address } from '../../../shared/types';
import { attachmentText } from '../documents/attachment-text';
import { inflateText } from '../util/raw-deflate';
import { addressListText } from './index-doc';
import type { TextField } from './query-parser';
import { fold } from './text-analysis';

/** Candidates read per statement run (their compressed bodies: a few hundred KiB at most). */
const VERIFY_BATCH = 256;

/** Lunr has no positions in our shards: phrases are checked against the stored text of each candidate. */
export class PhraseVerifier {
  private readonly row;
  private readonly textRow;
  private readonly shas;

  constructor(private readonly db: Database.Database) {
    this.shas = db.prepare('SELECT sha256 FROM attachments WHERE message_id = ? AND sha256 IS NOT NULL');
    // Candidates' rows a batch at a time (ids as a JSON array): one statement run per batch instead of one per candidate.
    const batch = 'm.id IN (SELECT value FROM json_each(?))';
    this.textRow = db.prepare(`SELECT m.id, m.subject, t.body FROM messages m LEFT JOIN message_text t ON t.id = m.id WHERE ${batch}`);
    this.row = db.prepare(
      `SELECT m.id, m.subject, m.from_json, m.to_json, m.cc_json, t.body,
              (SELECT group_concat(filename, ' ') FROM attachments a WHERE a.message_id = m.id) AS filenames
       FROM messages m LEFT JOIN message_text t ON t.id = m.id WHERE ${batch}`,
    );
  }

  verify(candidates: ReadonlyMap<number, number>, phrase: string, field: TextField | null, deadline = Deadline.none()): Map<number, number> {
    const out = new Map<number, number>();
    const pattern = phrasePattern(phrase);
    if (!pattern) return out;
    const stmt = field === null || field === 'subject' || field === 'body' ? this.textRow : this.row;
    const ids = [...candidates.keys()];
    for (let at = 0; at < ids.length; at += VERIFY_BATCH) {
      deadline.check();
      const batch = ids.slice(at, at + VERIFY_BATCH);
      const rows = new Map((stmt.all(JSON.stringify(batch)) as any[]).map((r) => [r.id as number, r]));
      for (const id of batch) {
        deadline.check();
        const r = rows.get(id);
        if (!r) continue;
        if (fieldMatches(r, field, pattern) || (field === null && pattern.test(this.attachments(id)))) out.set(id, candidates.get(id)! + 1);
      }
    }
    return out;
  }

  /** The attachment text indexed for the message (an unqualified phrase may be inside an attached document). */
  private attachments(id: number): string {
    const shas = (this.shas.all(id) as { sha256: string }[]).map((r) => r.sha256);
    return attachmentText(this.db, shas);
  }
}

const VARIANTS: Record<string, string> = {
  a: 'aàáâãäåā',
  c: 'cçć',
  e: 'eèéêëē',
  i: 'iìíîïī',
  n: 'nñ',
  o: 'oòóôõöøō',
  u: 'uùúûüū',
  y: 'yýÿ',
};

/**
 * A regular expression that finds the phrase in raw text the way the index sees words: case- and
 * accent-insensitive, any run of punctuation or spaces between words, whole words only. Matching the
 * raw text avoids folding every candidate's whole body.
 */
function wordPattern(word: string): string {
  const char = (ch: string) => (VARIANTS[ch] ? `[${VARIANTS[ch]}]` : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  let out = '';
  for (let i = 0; i < word.length; i++) {
    const pair = word.slice(i, i + 2);
    if (pair === 'oe' || pair === 'ae') {
      // fold() expands the ligatures œ and æ; the raw text may still have them.
      out += `(?:${char(pair[0]!)}${char(pair[1]!)}|${pair === 'oe' ? 'œ' : 'æ'})`;
      i++;
    } else out += char(word[i]!);
  }
  return out;
}

export function phrasePattern(phrase: string): RegExp | null {
  const words = phraseKey(phrase).split(' ').filter(Boolean);
  if (words.length === 0) return null;
  const body = words.map(wordPattern).join('[^\\p{L}\\p{N}]+');
  return new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, 'iu');
}

/** Folded, punctuation-insensitive form used on both sides of a phrase comparison. */
export function phraseKey(text: string): string {
  return fold(text).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** Whether the phrase is in the field of row `r`: the same text as indexed (any non-letter run between words alike). */
function fieldMatches(r: any, field: TextField | null, pattern: RegExp): boolean {
  const addresses = (json: string) => addressListText(JSON.parse(json) as Address[]);
  // Inflated only when the subject does not already match (each inflate costs ≈ 50 µs, mostly zlib's set-up;
  // a small body stored as one deflate block is read without zlib).
  const body = () => (r.body ? inflateText(r.body) : '');
  switch (field) {
    case 'subject':
      return pattern.test(r.subject ?? '');
    case 'from':
      return pattern.test(addresses(r.from_json));
    case 'to':
      return pattern.test(addresses(r.to_json));
    case 'cc':
      return pattern.test(addresses(r.cc_json));
    case 'filename':
      return pattern.test(r.filenames ?? '');
    case 'body':
      return pattern.test(body());
    default:
      return pattern.test(r.subject ?? '') || pattern.test(body());
  }
}
