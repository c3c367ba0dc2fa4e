import type Database from 'better-sqlite3';
import { dateMs, offsetMinutes } from './dates';
import type { DocMeta } from './types';

/** Save-time cluster: at least CLUSTER_MIN documents last saved by the same person within CLUSTER_WINDOW_MS. */
export const CLUSTER_WINDOW_MS = 10 * 60_000;
export const CLUSTER_MIN = 4;
/** A date written without a zone may be any local time: allow the widest offset span before comparing. */
const NO_ZONE_SLACK_MS = 14 * 3_600_000;
/** Clock differences between a sender's machine and the mail server. */
const CLOCK_SLACK_MS = 10 * 60_000;

interface Doc {
  sha256: string;
  type: string;
  meta: DocMeta;
}

type Flag = { sha256: string; name: string; reason: string };

/**
 * Anomaly hints on documents, recomputed for the whole case after each ingest (they depend on the rest
 * of the case). Hints with a plain reason, never verdicts.
 */
export function computeDocumentFlags(db: Database.Database): number {
  const docs = (db.prepare('SELECT sha256, type, meta_json FROM documents').all() as { sha256: string; type: string; meta_json: string }[]).map((r) => ({
    sha256: r.sha256,
    type: r.type,
    meta: JSON.parse(r.meta_json) as DocMeta,
  }));
  const flags: Flag[] = [];
  const add = (sha256: string, name: string, reason: string) => flags.push({ sha256, name, reason });
  const lastMessage = (db.prepare('SELECT MAX(date_ms) ms FROM messages').get() as { ms: number | null }).ms;
  const caseScript = dominantScript(db);

  for (const d of docs) {
    const m = d.meta;
    const created = dateMs(m.created);
    const modified = dateMs(m.modified);
    if (created !== null && modified !== null && modified + 60_000 < created) add(d.sha256, 'modified-before-created', `last saved ${m.modified}, before it was created (${m.created})`);
    if (lastMessage !== null) {
      for (const [label, iso] of [['created', m.created], ['last saved', m.modified]] as const) {
        const ms = dateMs(iso);
        const slack = offsetMinutes(iso) === null ? NO_ZONE_SLACK_MS : 0;
        if (ms !== null && ms - slack > lastMessage + 86_400_000) {
          add(d.sha256, 'date-in-future', `${label} ${iso}, after the last message of the archive (${new Date(lastMessage).toISOString()})`);
          break;
        }
      }
    }
    if ((m.revisions ?? 0) > 0) add(d.sha256, 'pdf-revised', `the PDF was saved ${m.revisions} more time(s) after it was first written (incremental updates)`);
    if (m.javascript) add(d.sha256, 'pdf-javascript', 'the PDF contains JavaScript or automatic actions (never run by Casefile)');
    if (m.encrypted) add(d.sha256, 'encrypted', 'the document is encrypted or password-protected');
    const names = [m.author, m.lastModifiedBy, m.company, ...(m.commentAuthors ?? []), ...(m.revisionAuthors ?? [])].filter((x): x is string => !!x);
    for (const n of names) {
      const s = scriptOf(n);
      if (s && caseScript && s !== caseScript) {
        add(d.sha256, 'foreign-script-metadata', `metadata name "${n}" is written in ${s} script, unlike the rest of the case (${caseScript})`);
        break;
      }
    }
  }
  perMessageFlags(db, docs, add);
  clusterFlags(docs, add);
  db.transaction(() => {
    db.prepare('DELETE FROM document_flags').run();
    const ins = db.prepare('INSERT OR IGNORE INTO document_flags (sha256, name, reason) VALUES (?, ?, ?)');
    for (const f of flags) ins.run(f.sha256, f.name, f.reason);
  })();
  return flags.length;
}

/** Flags that compare a document with the messages carrying it. */
function perMessageFlags(db: Database.Database, docs: Doc[], add: (sha: string, name: string, reason: string) => void): void {
  const carriers = db.prepare(
    `SELECT a.message_id, a.type_mismatch, a.content_type, a.sniffed_type, m.date_ms, m.date_header, m.from_addr FROM attachments a
     JOIN messages m ON m.id = a.message_id WHERE a.sha256 = ?`,
  );
  const usualOffset = db.prepare(
    'SELECT tz_offset_min o, COUNT(*) n FROM messages WHERE from_addr = ? AND tz_offset_min IS NOT NULL GROUP BY tz_offset_min ORDER BY n DESC LIMIT 1',
  );
  for (const d of docs) {
    const rows = carriers.all(d.sha256) as { message_id: number; type_mismatch: number; content_type: string; sniffed_type: string | null; date_ms: number | null; date_header: string | null; from_addr: string | null }[];
    if (rows.length === 0) continue;
    const mismatch = rows.find((r) => r.type_mismatch === 1);
    if (mismatch) add(d.sha256, 'type-mismatch', `declared ${mismatch.content_type} but the content is ${mismatch.sniffed_type}`);
    const modified = dateMs(d.meta.modified);
    const slack = offsetMinutes(d.meta.modified) === null ? NO_ZONE_SLACK_MS : CLOCK_SLACK_MS;
    const earliest = rows.filter((r) => r.date_ms !== null).sort((a, b) => a.date_ms! - b.date_ms!)[0];
    if (modified !== null && earliest && modified - slack > earliest.date_ms!) {
      add(d.sha256, 'modified-after-message', `last saved ${d.meta.modified}, after the message carrying it was sent (${earliest.date_header ?? new Date(earliest.date_ms!).toISOString()})`);
    }
    const written = offsetMinutes(d.meta.modified) ?? offsetMinutes(d.meta.created);
    if (written !== null && written !== 0 && earliest?.from_addr) {
      const usual = usualOffset.get(earliest.from_addr) as { o: number; n: number } | undefined;
      if (usual && usual.n >= 3 && Math.abs(usual.o - written) >= 120) {
        add(d.sha256, 'offset-unlike-sender', `metadata written at UTC${fmtOffset(written)}, while ${earliest.from_addr} usually sends at UTC${fmtOffset(usual.o)}`);
      }
    }
  }
}

/** The forgery pattern of the 2017 dump: many documents last saved within minutes by the same person. */
function clusterFlags(docs: Doc[], add: (sha: string, name: string, reason: string) => void): void {
  const byAuthor = new Map<string, { sha: string; ms: number; iso: string }[]>();
  for (const d of docs) {
    const who = d.meta.lastModifiedBy?.trim();
    const ms = dateMs(d.meta.modified);
    if (!who || ms === null) continue;
    const list = byAuthor.get(who) ?? [];
    list.push({ sha: d.sha256, ms, iso: d.meta.modified! });
    byAuthor.set(who, list);
  }
  for (const [who, list] of byAuthor) {
    list.sort((a, b) => a.ms - b.ms);
    let start = 0;
    const inCluster = new Set<number>();
    for (let end = 0; end < list.length; end++) {
      while (list[end]!.ms - list[start]!.ms > CLUSTER_WINDOW_MS) start++;
      if (end - start + 1 >= CLUSTER_MIN) for (let i = start; i <= end; i++) inCluster.add(i);
    }
    if (inCluster.size === 0) continue;
    const members = [...inCluster].map((i) => list[i]!);
    const span = Math.round((members[members.length - 1]!.ms - members[0]!.ms) / 60_000);
    for (const m of members) {
      add(m.sha, 'save-cluster', `one of ${members.length} documents last saved by "${who}" within ${span} minute(s) (${members[0]!.iso} – ${members[members.length - 1]!.iso})`);
    }
  }
}

const SCRIPTS: [string, RegExp][] = [
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Arabic', /\p{Script=Arabic}/u],
  ['Hebrew', /\p{Script=Hebrew}/u],
  ['Han', /\p{Script=Han}/u],
  ['Latin', /\p{Script=Latin}/u],
];

function scriptOf(text: string): string | null {
  for (const [name, re] of SCRIPTS) if (re.test(text)) return name;
  return null;
}

/** The script of most sender names and subjects in the case (a sample), or null when there is no mail. */
function dominantScript(db: Database.Database): string | null {
  const counts = new Map<string, number>();
  for (const r of db.prepare('SELECT subject, from_json FROM messages ORDER BY id LIMIT 5000').iterate() as Iterable<{ subject: string | null; from_json: string }>) {
    const s = scriptOf(`${r.subject ?? ''} ${r.from_json}`);
    if (s) counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  // Loose documents only: their own names decide.
  if (counts.size === 0) return 'Latin';
  return [...counts].sort((a, b) => b[1] - a[1])[0]![0];
}

function fmtOffset(min: number): string {
  const sign = min < 0 ? '-' : '+';
  const a = Math.abs(min);
  return `${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}
