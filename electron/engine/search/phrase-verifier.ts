import { Deadline } from './query-cost';
import type Database from 'better-sqlite3';
import type { Address } from '../../../shared/types';
import { attachmentText } from '../documents/attachment-text';
import { pagesOf } from '../documents/wire';
import { inflateBytes } from '../util/raw-deflate';
import { addressListText } from './index-doc';
import type { TextField } from './query-parser';
import { holdsWord } from './phrase-pairs';
import { PhraseWindow } from './phrase-window';
import { fold } from './text-analysis';

/** Candidates read per statement run (their compressed bodies: a few hundred KiB at most). */
const VERIFY_BATCH = 256;

/**
 * Lunr has no positions in our shards: phrases are checked against the stored text of each candidate.
 * An unqualified phrase is looked for in the body first (where almost every true hit of a phrase is),
 * then in the subject of the candidates whose body lacks it, then in their attachments' text: each read
 * is one batched primary-key statement on the one table it needs (the subject comes from the wide
 * messages row: reading it for every candidate cost as much as reading the bodies). The result is the
 * same set, in candidate order, with the same scores, as testing subject || body || attachments per candidate.
 */
export class PhraseVerifier {
  private readonly row;
  private readonly bodies;
  private readonly subjects;
  private readonly shas;
  private readonly documentTexts;

  constructor(private readonly db: Database.Database) {
    this.shas = db.prepare('SELECT sha256 FROM attachments WHERE message_id = ? AND sha256 IS NOT NULL');
    // Candidates' rows a batch at a time (ids as a JSON array): one statement run per batch instead of one per candidate.
    const batch = 'id IN (SELECT value FROM json_each(?))';
    // Looked up row by row from the ids (a join), not through `IN (…)`, which first copies the ids into a
    // temporary sorted table: 4,731 bodies at 1M, fresh connections, 26–36 against 31–43 ms CPU.
    const rows = (table: string, column: string) => db.prepare(`SELECT t.id, t.${column} FROM json_each(?) j JOIN ${table} t ON t.id = j.value`).raw();
    this.bodies = rows('message_text', 'body');
    this.subjects = rows('messages', 'subject');
    // Per attachment's document (or a file embedded in it, as attachmentText reads them): its pages and OCR
    // pages when small (a document without text is a few bytes), else only their length.
    this.documentTexts = db
      .prepare(
        `SELECT a.message_id, length(d.pages), CASE WHEN length(d.pages) <= ${SMALL_PAGES} THEN d.pages END,
                length(d.ocr_pages), CASE WHEN length(d.ocr_pages) <= ${SMALL_PAGES} THEN d.ocr_pages END
         FROM attachments a JOIN documents d ON (d.sha256 = a.sha256 OR d.parent_sha256 = a.sha256)
         WHERE a.message_id IN (SELECT value FROM json_each(?)) AND a.sha256 IS NOT NULL`,
      )
      .raw();
    this.row = db.prepare(
      `SELECT m.id, m.subject, m.from_json, m.to_json, m.cc_json,
              (SELECT group_concat(filename, ' ') FROM attachments a WHERE a.message_id = m.id) AS filenames
       FROM messages m WHERE m.${batch}`,
    );
  }

  /** Those of `candidates` holding the phrase, each scored its score in `scores` + 1. */
  verify(candidates: ReadonlyMap<number, number>, phrase: string, field: TextField | null, deadline = Deadline.none(), scores = candidates): Map<number, number> {
    const out = new Map<number, number>();
    const pattern = phrasePattern(phrase);
    if (!pattern) return out;
    const window = new PhraseWindow(phraseWords(phrase), pattern);
    const ids = [...candidates.keys()];
    for (let at = 0; at < ids.length; at += VERIFY_BATCH) {
      deadline.check();
      const batch = ids.slice(at, at + VERIFY_BATCH);
      const found = this.matching(batch, pattern, window, field, deadline);
      for (const id of batch) if (found.has(id)) out.set(id, scores.get(id)! + 1);
    }
    return out;
  }

  /** Which of `batch` hold the phrase in `field` (null: subject, body or attachments' text). */
  private matching(batch: number[], pattern: RegExp, window: PhraseWindow, field: TextField | null, deadline: Deadline): Set<number> {
    const found = new Set<number>();
    if (field !== null && field !== 'subject' && field !== 'body') {
      for (const r of this.row.all(JSON.stringify(batch)) as any[]) if (pattern.test(otherField(r, field))) found.add(r.id);
      return found;
    }
    if (field !== 'subject') {
      const rows = this.bodies.all(JSON.stringify(batch)) as [number, Uint8Array | null][];
      for (let i = 0; i < rows.length; i++) {
        deadline.check();
        const body = rows[i]![1];
        if (body && window.holds(inflateBytes(body))) found.add(rows[i]![0]);
      }
      if (field === 'body') return found;
    }
    const rest = batch.filter((id) => !found.has(id));
    if (rest.length === 0) return found;
    for (const [id, subject] of this.subjects.all(JSON.stringify(rest)) as [number, string | null][]) if (pattern.test(subject ?? '')) found.add(id);
    if (field === 'subject') return found;
    const withText = this.withAttachmentText(rest.filter((id) => !found.has(id)));
    for (const id of withText) {
      deadline.check();
      if (pattern.test(this.attachments(id))) found.add(id);
    }
    return found;
  }

  /**
   * Those of `ids` whose attachments' text may hold a word: a document (or one embedded in it) with a letter
   * or digit in its pages or OCR pages, or too large to look at here. The others' attachment text has no
   * word, so no phrase: at 100k messages, `"second tour"` read the attachments of 3,472 candidates one by
   * one (two statements each) for documents without text (images, archives), as their messages carry no
   * pair filter (index-worker.ts). Ids in the order given.
   */
  private withAttachmentText(ids: number[]): number[] {
    if (ids.length === 0) return ids;
    const may = new Set<number>();
    const rows = this.documentTexts.all(JSON.stringify(ids)) as [number, number | null, Uint8Array | null, number | null, Uint8Array | null][];
    for (const [id, pagesBytes, pages, ocrBytes, ocr] of rows) {
      if (may.has(id)) continue;
      if (hasWord(pagesBytes, pages) || hasWord(ocrBytes, ocr)) may.add(id);
    }
    return ids.filter((id) => may.has(id));
  }

  /** The attachment text indexed for the message (an unqualified phrase may be inside an attached document). */
  private attachments(id: number): string {
    const shas = (this.shas.all(id) as { sha256: string }[]).map((r) => r.sha256);
    return attachmentText(this.db, shas);
  }
}

/** Pages blobs up to this many bytes are read to see whether they hold a word (a document without text: ≈7 bytes). */
const SMALL_PAGES = 256;

/** Whether a pages blob (`bytes` long, its content when small) may hold a letter or digit. */
function hasWord(bytes: number | null, blob: Uint8Array | null): boolean {
  if (bytes === null || bytes === 0) return false;
  if (blob === null) return true; // large: assume it does (the full path reads it)
  return pagesOf(blob).some(holdsWord);
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
  const words = phraseWords(phrase);
  if (words.length === 0) return null;
  const body = words.map(wordPattern).join('[^\\p{L}\\p{N}]+');
  return new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, 'iu');
}

/** The phrase's words as its pattern looks for them. */
export function phraseWords(phrase: string): string[] {
  return phraseKey(phrase).split(' ').filter(Boolean);
}

/** Folded, punctuation-insensitive form used on both sides of a phrase comparison. */
export function phraseKey(text: string): string {
  return fold(text).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** The text of an address or file-name field of row `r`, as indexed (any non-letter run between words alike). */
function otherField(r: any, field: TextField): string {
  const addresses = (json: string) => addressListText(JSON.parse(json) as Address[]);
  switch (field) {
    case 'from':
      return addresses(r.from_json);
    case 'to':
      return addresses(r.to_json);
    case 'cc':
      return addresses(r.cc_json);
    case 'filename':
      return r.filenames ?? '';
    default:
      return '';
  }
}
