// Phrase search's faster path (issue 15: body first, then subject, then attachments' text, each read in one
// batched statement; a phrase beside other AND items checked only where those items hold) must answer
// exactly as the previous path did: every candidate's subject and body read together and tested, then its
// attachments' text, for every candidate of the phrase's words. The previous path is kept here as the
// reference (`oldVerify`, and the AND items not passed down), and every answer — hits, totals, order,
// scores, snippets, highlights — is compared on generated French mail with attachments, ponymail's and
// notmuch's real mail, with the pair sidecars and without them. A phrase's candidates are now found from its
// pair masks first, each word summed only there (pairedCandidates); the previous way (each word summed over
// the case, intersected, then filtered by withWordPairs) is kept as the reference too, and every candidate's
// score must be the same float, bit for bit.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type Database from 'better-sqlite3';
import type { Address } from '../../shared/types';
import { attachmentText } from '../../electron/engine/documents/attachment-text';
import { ingest } from '../../electron/engine/ingest/ingest';
import { addressListText, docsAfter, inflateDoc } from '../../electron/engine/search/index-doc';
import { intersect, type Hits } from '../../electron/engine/search/hit-sets';
import { withWordPairs } from '../../electron/engine/search/phrase-candidates';
import { pairHashes } from '../../electron/engine/search/phrase-pairs';
import { PhraseVerifier, phrasePattern } from '../../electron/engine/search/phrase-verifier';
import { PendingPhrase, QueryEvaluator } from '../../electron/engine/search/query-eval';
import { Searcher } from '../../electron/engine/search/searcher';
import { tokenize } from '../../electron/engine/search/text-analysis';
import type { TextField } from '../../electron/engine/search/query-parser';
import { CaseStore } from '../../electron/engine/store/case-store';
import { inflateText } from '../../electron/engine/util/raw-deflate';
import { generateMbox } from '../fixtures/archive-generator';
import { makePdf, mboxMessage } from '../fixtures/document-generator';
import { corpus, HAVE_CORPORA } from '../helpers/corpora';
import { answers } from '../helpers/search-answers';
import { tempDir } from '../helpers/temp';

/** The verifier as it was: per candidate, subject and body from one joined row, else its attachments' text. */
function oldVerify(db: Database.Database, candidates: ReadonlyMap<number, number>, phrase: string, field: TextField | null): Map<number, number> {
  const out = new Map<number, number>();
  const pattern = phrasePattern(phrase);
  if (!pattern) return out;
  const row = db.prepare(
    `SELECT m.id, m.subject, m.from_json, m.to_json, m.cc_json, t.body,
            (SELECT group_concat(filename, ' ') FROM attachments a WHERE a.message_id = m.id) AS filenames
     FROM messages m LEFT JOIN message_text t ON t.id = m.id WHERE m.id = ?`,
  );
  const shas = db.prepare('SELECT sha256 FROM attachments WHERE message_id = ? AND sha256 IS NOT NULL');
  const addresses = (json: string) => addressListText(JSON.parse(json) as Address[]);
  for (const id of candidates.keys()) {
    const r = row.get(id) as any;
    if (!r) continue;
    const body = () => (r.body ? inflateText(r.body) : '');
    const texts: Record<string, () => string> = {
      subject: () => r.subject ?? '',
      from: () => addresses(r.from_json),
      to: () => addresses(r.to_json),
      cc: () => addresses(r.cc_json),
      filename: () => r.filenames ?? '',
      body,
    };
    const inField = field ? pattern.test(texts[field]!()) : pattern.test(r.subject ?? '') || pattern.test(body());
    const inAttachments = () => pattern.test(attachmentText(db, (shas.all(id) as { sha256: string }[]).map((s) => s.sha256)));
    if (inField || (field === null && inAttachments())) out.set(id, candidates.get(id)! + 1);
  }
  return out;
}

/** A phrase's candidates as they were found: each word summed over the case, intersected, then (verifyPhrase) its pair filters. */
function oldPhraseWords(this: any, field: TextField | null, text: string, negated: boolean): PendingPhrase {
  let candidates: Hits = null;
  for (const w of tokenize(text)) candidates = intersect(candidates, this.term(field, w, false, 0, negated));
  if (!negated) this.notes.highlight.phrases.push(text);
  return new PendingPhrase(field, text, candidates, null);
}

/** The same answers through the previous path. */
function oldAnswers(caseDir: string, queries: string[]): string[] {
  const proto = QueryEvaluator.prototype as any;
  const { verifyPhrase, phraseWords } = proto;
  const verify = PhraseVerifier.prototype.verify;
  proto.phraseWords = oldPhraseWords;
  proto.verifyPhrase = function (this: any, pending: unknown) {
    return verifyPhrase.call(this, pending, []); // the AND's other items not passed down
  };
  PhraseVerifier.prototype.verify = function (this: any, candidates, phrase, field) {
    return oldVerify(this.db, candidates, phrase, field);
  };
  try {
    return answers(caseDir, queries, 2000);
  } finally {
    Object.assign(proto, { verifyPhrase, phraseWords });
    PhraseVerifier.prototype.verify = verify;
  }
}

/**
 * Each phrase's candidates (alone, and among a word's hits as beside it in an AND) found both ways, on a
 * freshly opened case: the same ids, each with the same score to the last bit.
 */
function assertSameCandidates(caseDir: string, queries: string[]): number {
  const store = CaseStore.open(caseDir);
  let compared = 0;
  try {
    const s = new Searcher(store.db, store.dir) as any;
    const ev = new QueryEvaluator(store.db, s.shards, () => s.ids.all(), (a, b) => s.ids.inDateRange(a, b), (h, a, b) => s.ids.keepDated(h, a, b), () => s.ids.withAttachments()) as any;
    for (const q of queries) {
      const m = /^(?:(\p{L}+) -)?(?:(subject|body):)?"([^"]+)"(?: (\p{L}+))?$/u.exec(q);
      if (!m) continue;
      const [, excluding, f, text, beside] = m;
      const other = excluding ?? beside;
      const field = (f ?? null) as TextField | null;
      const within: ReadonlyMap<number, number>[] = other ? [ev.term(null, other, false, 0, false) ?? new Map()] : [];
      const now: Hits = ev.phraseWords(field, text, false).candidatesWithin(within);
      let before: Hits = oldPhraseWords.call(ev, field, text!, false).candidates;
      if (before !== null) before = withWordPairs(new Map([...before].filter(([id]) => within.every((w) => w.has(id)))), pairHashes(text!), s.shards);
      const entries = (h: Hits) => (h === null ? null : [...h.entries()].sort((a, b) => a[0] - b[0]));
      const [a, b] = [entries(now), entries(before)];
      assert.equal(a?.length, b?.length, `${q}: candidates`);
      for (let i = 0; i < (a?.length ?? 0); i++) {
        assert.equal(a![i]![0], b![i]![0], `${q}: candidate ids`);
        assert.ok(Object.is(a![i]![1], b![i]![1]), `${q}: score of ${a![i]![0]}: ${a![i]![1]} against ${b![i]![1]}`);
      }
      compared += a?.length ?? 0;
    }
  } finally {
    store.close();
  }
  return compared;
}

/** French mail whose phrases sit in bodies, subjects and attached PDFs, with accents, ligatures and punctuation between words. */
function frenchMail(file: string): void {
  const pdf = (text: string) => ({ name: 'note.pdf', type: 'application/pdf', bytes: makePdf(text, { author: 'Jean Dupont', created: "D:20170301100000+01'00'" }) });
  const msgs = [
    ['Pièce jointe', 'Voir la pièce jointe, urgent.', []],
    ['Relance', 'La piece  jointe manque (urgent) : PIÈCE-JOINTE introuvable.', []],
    ['Au cœur du sujet', 'Le coeur du sujet est le second tour.', []],
    ['Budget', 'Rien ici.', [pdf('Le budget de campagne du second tour')]],
    ['Urgent', 'Une pièce, jointe plus tard; urgent', [pdf('pièce jointe au dossier')]],
    ['Second tour', 'tour second, pas la phrase', []],
    ['Œuvre', "L'œuvre complète du Second Tour d'Élysée", []],
  ] as const;
  writeFileSync(
    file,
    msgs.map(([subject, body, att], i) => mboxMessage(100 + i, `Mon, ${3 + i} Apr 2017 10:00:00 +0200`, `jean.dupont${i % 2}@en-marche.fr`, subject, body, [...att])).join(''),
  );
}

describe('phrase search: the faster path answers as the previous one', () => {
  const caseDir = path.join(tempDir('casefile-phrase-paths-case-'), 'case');
  const queries: string[] = [
    '"pièce jointe"',
    '"pièce jointe" urgent',
    'urgent "pièce jointe"',
    '"pièce jointe" -urgent',
    'urgent -"pièce jointe"',
    '"second tour" "pièce jointe"',
    '"pièce jointe" "voir la pièce" urgent',
    'subject:"pièce jointe" "pièce jointe" -"second tour"',
    '("pièce jointe" OR budget) urgent',
    '"second tour" has:attachment',
    '"second tour" date:2017-04-01..2017-04-30',
    '"coeur du sujet"',
    '"œuvre complète"',
    '"budget de campagne"',
    '"budget de campagne" budget',
    '"second tour"',
    '"tour second"',
    'subject:"pièce jointe"',
    'subject:"second tour" urgent',
    'body:"pièce jointe" urgent',
    'from:"jean.dupont1@en-marche.fr"',
    'from:"en marche" "second tour"',
    'to:"equipe example"',
    'filename:"note pdf"',
    '"zzqx wordless" urgent',
  ];

  const pairs = new Set<string>();

  before(async () => {
    const ev = tempDir('casefile-phrase-paths-ev-');
    const gen = path.join(ev, 'gen.mbox');
    await generateMbox(gen, Infinity, 9, 150);
    frenchMail(path.join(ev, 'french.mbox'));
    const real = HAVE_CORPORA ? [corpus('notmuch-corpora/test/corpora/default'), corpus('ponymail-asf-mbox/corpus/httpd-users-4950.mbox')] : [];
    await ingest({ caseDir, inputs: [gen, path.join(ev, 'french.mbox'), ...real], shardSize: 40 });
    // Phrases taken from the messages themselves (runs of 2–3 words), alone, beside a word of the same
    // message, and excluded from it.
    const store = CaseStore.open(caseDir);
    const bodies = [...docsAfter(store.db, 0)].flat().map((w) => inflateDoc(w).body.split(/\s+/));
    store.close();
    for (let i = 0; i < bodies.length && queries.length < 120; i += 5) {
      const words = bodies[i]!;
      const n = 2 + (i % 2);
      const at = words.findIndex((_, k) => k + n <= words.length && words.slice(k, k + n).every((x) => /^\p{L}{3,}$/u.test(x)));
      if (at < 0) continue;
      const phrase = `"${words.slice(at, at + n).join(' ')}"`;
      const other = words.find((x, k) => (k < at || k >= at + n) && /^\p{L}{5,}$/u.test(x)) ?? 'the';
      queries.push(phrase, `${phrase} ${other}`, `${other} -${phrase}`);
    }
    // More phrases for the candidates alone (no text read): pairs of words of letters from each message's start.
    for (const words of bodies) {
      for (let k = 0; k + 1 < Math.min(words.length, 40); k++) if (/^\p{L}{2,}$/u.test(words[k]!) && /^\p{L}{2,}$/u.test(words[k + 1]!)) pairs.add(`"${words[k]} ${words[k + 1]}"`);
    }
  });

  after(() => rmSync(path.dirname(caseDir), { recursive: true, force: true }));

  test('every answer identical, with the pair sidecars and without them', () => {
    assert.ok(queries.length > 60, `${queries.length} queries`);
    const index = path.join(caseDir, 'index');
    const sidecars = readdirSync(index).filter((f) => f.endsWith('.pairs'));
    assert.ok(sidecars.length >= 3, `${sidecars.length} sidecars`);
    const saved = sidecars.map((f) => [f, readFileSync(path.join(index, f))] as const);
    for (const withSidecars of [true, false]) {
      if (!withSidecars) for (const [f] of saved) rmSync(path.join(index, f));
      const compared = assertSameCandidates(caseDir, [...queries, ...pairs]);
      assert.ok(compared > 2000, `${compared} candidates compared`);
      const now = answers(caseDir, queries, 2000);
      const before = oldAnswers(caseDir, queries);
      for (let i = 0; i < queries.length; i++) assert.equal(now[i], before[i], `${queries[i]} (sidecars: ${withSidecars})`);
      const subjects = (q: string) => (JSON.parse(now[queries.indexOf(q)]!).hits as { subject: string }[]).map((h) => h.subject);
      // The crafted messages: the phrase across punctuation, case and accents; in an attached PDF; with œ.
      for (const s of ['Pièce jointe', 'Relance', 'Urgent']) assert.ok(subjects('"pièce jointe" urgent').includes(s), s);
      assert.ok(!subjects('"pièce jointe"').includes('Budget'));
      assert.ok(subjects('"budget de campagne"').includes('Budget'), 'inside the attached PDF');
      assert.ok(subjects('"coeur du sujet"').includes('Au cœur du sujet'), 'œ in the subject, oe in the body');
      assert.ok(subjects('"œuvre complète"').includes('Œuvre'));
      assert.ok(subjects('"tour second"').includes('Second tour'));
      assert.ok(now.filter((a) => !a.includes('"total":0')).length > queries.length / 2, 'most queries find messages');
    }
    for (const [f, bytes] of saved) writeFileSync(path.join(index, f), bytes);
  });
});
