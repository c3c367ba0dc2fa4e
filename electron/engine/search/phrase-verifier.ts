import { inflateRawSync } from 'node:zlib';
import type Database from 'better-sqlite3';
import type { Address } from '../../../shared/types';
import type { TextField } from './query-parser';
import { fold } from './text-analysis';

/** Lunr has no positions in our shards: phrases are checked against the stored text of each candidate. */
export class PhraseVerifier {
  private readonly row;

  constructor(db: Database.Database) {
    this.row = db.prepare(
      `SELECT m.subject, m.from_json, m.to_json, m.cc_json, t.body,
              (SELECT group_concat(filename, ' ') FROM attachments a WHERE a.message_id = m.id) AS filenames
       FROM messages m LEFT JOIN message_text t ON t.id = m.id WHERE m.id = ?`,
    );
  }

  verify(candidates: Map<number, number>, phrase: string, field: TextField | null): Map<number, number> {
    const needle = ` ${phraseKey(phrase)} `;
    const out = new Map<number, number>();
    if (needle.trim() === '') return out;
    for (const [id, score] of candidates) {
      const r = this.row.get(id) as any;
      if (!r) continue;
      const texts = fieldTexts(r, field);
      if (texts.some((t) => ` ${phraseKey(t)} `.includes(needle))) out.set(id, score + 1);
    }
    return out;
  }
}

/** Folded, punctuation-insensitive form used on both sides of a phrase comparison. */
export function phraseKey(text: string): string {
  return fold(text).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

function fieldTexts(r: any, field: TextField | null): string[] {
  const addresses = (json: string) => (JSON.parse(json) as Address[]).map((a) => `${a.name} ${a.address}`).join(' , ');
  const body = () => (r.body ? inflateRawSync(r.body).toString('utf8') : '');
  switch (field) {
    case 'subject':
      return [r.subject ?? ''];
    case 'from':
      return [addresses(r.from_json)];
    case 'to':
      return [addresses(r.to_json)];
    case 'cc':
      return [addresses(r.cc_json)];
    case 'filename':
      return [r.filenames ?? ''];
    case 'body':
      return [body()];
    default:
      return [r.subject ?? '', body()];
  }
}
