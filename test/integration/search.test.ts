import assert from 'node:assert/strict';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { before, describe, test } from 'node:test';
import { ingest } from '../../electron/engine/ingest/ingest';
import { QueryError } from '../../electron/engine/search/query-parser';
import { Searcher } from '../../electron/engine/search/searcher';
import { CaseIds } from '../../electron/engine/search/case-ids';
import { CaseStore } from '../../electron/engine/store/case-store';
import { generateMbox } from '../fixtures/archive-generator';
import { cli } from '../helpers/cli';
import { corpus, HAVE_CORPORA } from '../helpers/corpora';
import { tempDir } from '../helpers/temp';

/** The test's own folding (not the engine's): NFD, drop combining marks, lower case. */
const foldT = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

interface Doc {
  id: number;
  all: string;
  from: string;
  dateMs: number | null;
  attachments: number;
}

/** Every message's parsed text, read straight from the case database, for computing expectations. */
function loadDocs(caseDir: string): Doc[] {
  const store = CaseStore.open(caseDir);
  const rows = store.db
    .prepare(
      `SELECT m.id, m.subject, m.from_json, m.to_json, m.cc_json, m.date_ms, m.attachment_count, t.body,
              (SELECT group_concat(filename, ' ') FROM attachments a WHERE a.message_id = m.id) AS files
       FROM messages m LEFT JOIN message_text t ON t.id = m.id`,
    )
    .all() as any[];
  store.close();
  const addr = (j: string) => (JSON.parse(j) as { name: string; address: string }[]).map((a) => `${a.name} ${a.address}`).join(' ');
  return rows.map((r) => ({
    id: r.id,
    all: foldT([r.subject ?? '', addr(r.from_json), addr(r.to_json), addr(r.cc_json), r.files ?? '', r.body ? inflateRawSync(r.body).toString('utf8') : ''].join('\n')),
    from: foldT(addr(r.from_json)),
    dateMs: r.date_ms,
    attachments: r.attachment_count,
  }));
}

const ids = (docs: Doc[], pred: (d: Doc) => boolean) => docs.filter(pred).map((d) => d.id).sort((a, b) => a - b);
const found = (s: Searcher, q: string) => s.search(q, { limit: 1_000_000 }).hits.map((h) => h.id).sort((a, b) => a - b);
const word = (w: string) => new RegExp(`(^|[^\\p{L}\\p{N}])${w}($|[^\\p{L}\\p{N}])`, 'u');

describe('search', () => {
  const ev = tempDir('casefile-search-ev-');
  const cases = tempDir('casefile-search-cases-');
  const caseDir = path.join(cases, 'case');
  const french = path.join(ev, 'campagne.mbox');
  let docs: Doc[] = [];
  let searcher: Searcher;
  let store: CaseStore;

  before(async () => {
    await generateMbox(french, 3 * 1024 * 1024, 5);
    writeFileSync(
      path.join(ev, 'elision.eml'),
      "From: Émilie Béranger <emilie.beranger@en-marche.fr>\nTo: presse@example.fr\nSubject: Réunion à l'Élysée\nMessage-ID: <elision@test>\nDate: Tue, 2 May 2017 10:00:00 +0200\nContent-Type: text/plain; charset=utf-8\n\nQu'il vienne d'abord avec l'équipe du second tour.\n",
    );
    const inputs = [french, path.join(ev, 'elision.eml')];
    if (HAVE_CORPORA) inputs.push(corpus('ponymail-asf-mbox/corpus'), corpus('notmuch-corpora/test/corpora/default'));
    // Small shards so that several shards are built, persisted and searched (with or without corpora).
    await ingest({ caseDir, inputs, shardSize: 40 });
    docs = loadDocs(caseDir);
    store = CaseStore.open(caseDir);
    searcher = new Searcher(store.db, caseDir).warm();
  });

  test('the index is sharded and covers every message exactly once', () => {
    const shards = store.db.prepare('SELECT first_id, last_id, docs FROM index_shards ORDER BY seq').all() as any[];
    assert.ok(shards.length >= 3, `several shards (${shards.length})`);
    assert.equal(shards.reduce((n, s) => n + s.docs, 0), docs.length);
    for (let i = 1; i < shards.length; i++) assert.ok(shards[i].first_id > shards[i - 1].last_id);
  });

  test('accents and elisions: elysee finds Élysée, equipe finds l’équipe, qu’il and d’abord are plain words', () => {
    assert.deepEqual(found(searcher, 'elysee'), ids(docs, (d) => word('elysee').test(d.all)));
    assert.deepEqual(found(searcher, 'Élysée'), found(searcher, 'elysee'));
    assert.ok(found(searcher, 'elysee').length > 1);
    assert.deepEqual(found(searcher, 'equipe'), ids(docs, (d) => word('equipes?').test(d.all)));
    assert.deepEqual(found(searcher, 'abord'), ids(docs, (d) => word('abord').test(d.all)));
    const elision = store.db.prepare("SELECT id FROM messages WHERE message_id = 'elision@test'").get() as { id: number };
    assert.ok(found(searcher, 'équipe tour abord').includes(elision.id));
  });

  test('e-mail addresses and domains are whole tokens and parts', () => {
    const expected = ids(docs, (d) => d.from.includes('emilie.beranger@en-marche.fr'));
    assert.ok(expected.length >= 1);
    assert.deepEqual(found(searcher, 'from:emilie.beranger@en-marche.fr'), expected);
    assert.deepEqual(found(searcher, 'from:beranger'), ids(docs, (d) => word('beranger').test(d.from)));
    assert.deepEqual(found(searcher, 'from:en-marche.fr'), ids(docs, (d) => /@en-marche\.fr/.test(d.from)));
  });

  test('phrases are exact (order matters), negation and OR combine', () => {
    const phrase = (p: string) => ids(docs, (d) => d.all.replace(/[^\p{L}\p{N}]+/gu, ' ').includes(` ${p} `) || d.all.replace(/[^\p{L}\p{N}]+/gu, ' ').startsWith(`${p} `));
    assert.deepEqual(found(searcher, '"second tour"'), phrase('second tour'));
    assert.ok(phrase('second tour').length > 0);
    assert.deepEqual(found(searcher, '"tour second"'), phrase('tour second'));
    const a = new Set(found(searcher, 'elysee'));
    const b = new Set(found(searcher, 'budget'));
    assert.deepEqual(found(searcher, 'elysee -budget'), [...a].filter((x) => !b.has(x)).sort((x, y) => x - y));
    assert.deepEqual(found(searcher, 'elysee OR budget'), [...new Set([...a, ...b])].sort((x, y) => x - y));
  });

  test('structured filters from SQLite combine with words', () => {
    const from = Date.UTC(2017, 3, 1);
    const to = Date.UTC(2017, 3, 3);
    assert.deepEqual(found(searcher, 'date:2017-04-01..2017-04-02'), ids(docs, (d) => d.dateMs !== null && d.dateMs >= from && d.dateMs < to));
    assert.deepEqual(found(searcher, 'has:attachment'), ids(docs, (d) => d.attachments > 0));
    const both = found(searcher, 'has:attachment budget');
    assert.deepEqual(both, ids(docs, (d) => d.attachments > 0 && word('budget').test(d.all)));
  });

  test('wildcards and fuzzy terms', () => {
    const wild = found(searcher, 'sondag*');
    assert.deepEqual(wild, ids(docs, (d) => /(^|[^\p{L}])sondag/u.test(d.all)));
    const fuzzy = found(searcher, 'sondaga~1');
    assert.ok(fuzzy.length > 0 && wild.every((id) => fuzzy.includes(id)));
  });

  test('results: ranked or by date, paged, with snippets that contain the highlighted match', () => {
    const byRel = searcher.search('elysee', { limit: 5 });
    assert.equal(byRel.total, found(searcher, 'elysee').length);
    assert.ok(byRel.hits.every((h, i) => i === 0 || byRel.hits[i - 1]!.score >= h.score));
    const byDate = searcher.search('elysee', { sort: 'date', limit: 1000 });
    const dates = byDate.hits.map((h) => h.date ?? '');
    assert.deepEqual(dates, [...dates].sort().reverse());
    const page2 = searcher.search('elysee', { sort: 'date', limit: 3, offset: 3 });
    assert.deepEqual(page2.hits.map((h) => h.id), byDate.hits.slice(3, 6).map((h) => h.id));
    const h = byRel.hits.find((x) => x.highlights.length > 0)!;
    assert.ok(h, 'some snippet has a highlight');
    assert.equal(foldT(h.snippet.slice(h.highlights[0]![0], h.highlights[0]![1])), 'elysee');
    assert.ok(byRel.tookMs >= 0);
  });

  test('bad queries give an error naming the offending part, never a crash', () => {
    assert.throws(() => searcher.search('from:x frob:1'), (e: unknown) => e instanceof QueryError && e.part === 'frob:1');
    assert.throws(() => searcher.search('date:2017-02-30'), QueryError);
    const r = cli(['search', caseDir, 'subject:(x']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /bad query/);
  });

  test('real corpora: known words and addresses find exactly the messages containing them', { skip: !HAVE_CORPORA && 'corpora absent' }, () => {
    assert.deepEqual(found(searcher, 'surefire'), ids(docs, (d) => /(^|[^\p{L}\p{N}])surefire($|[^\p{L}\p{N}])/u.test(d.all.replace(/_/g, ' '))));
    assert.deepEqual(found(searcher, 'from:cworth@cworth.org'), ids(docs, (d) => d.from.includes('cworth@cworth.org')));
    const phrase = ids(docs, (d) => d.all.replace(/[^\p{L}\p{N}]+/gu, ' ').includes(' maven indexer '));
    assert.deepEqual(found(searcher, '"Maven Indexer"'), phrase);
  });

  test('a memory budget smaller than the index still answers every query identically (shards cycle)', () => {
    const tiny = new Searcher(store.db, caseDir, 1).warm();
    for (const q of ['elysee', 'budget -elysee', '"second tour"', 'sondag*']) assert.deepEqual(found(tiny, q), found(searcher, q), q);
  });

  test('the index survives a restart: reopening loads the shards, nothing is rebuilt', () => {
    const files = readdirSync(path.join(caseDir, 'index')).map((f) => [f, statSync(path.join(caseDir, 'index', f)).mtimeMs]);
    const before = found(searcher, 'elysee OR surefire');
    store.close();
    store = CaseStore.open(caseDir);
    searcher = new Searcher(store.db, caseDir).warm();
    assert.deepEqual(found(searcher, 'elysee OR surefire'), before);
    const after = readdirSync(path.join(caseDir, 'index')).map((f) => [f, statSync(path.join(caseDir, 'index', f)).mtimeMs]);
    assert.deepEqual(after, files);
  });

  test('a resumed or repeated ingest does not index anything twice', async () => {
    const again = await ingest({ caseDir, inputs: [french], shardSize: 40 });
    assert.equal(again.messages, 0);
    const s = CaseStore.open(caseDir);
    const total = (s.db.prepare('SELECT SUM(docs) n FROM index_shards').get() as any).n;
    const messages = (s.db.prepare('SELECT COUNT(*) n FROM messages').get() as any).n;
    s.close();
    assert.equal(total, messages);
  });

  test('an index lost mid-way is rebuilt from the database by `casefile index`, identical results', () => {
    const expected = found(searcher, 'elysee OR budget');
    store.db.prepare('DELETE FROM index_shards WHERE seq > 1').run();
    const r = cli(['index', caseDir, '--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(JSON.parse(r.stdout).docs > 0);
    searcher = new Searcher(store.db, caseDir).warm();
    assert.deepEqual(found(searcher, 'elysee OR budget'), expected);
  });

  test('`casefile index` leaves a complete index as it is, and counts a re-indexed tail once', () => {
    const indexFiles = () => readdirSync(path.join(caseDir, 'index')).map((f) => [f, statSync(path.join(caseDir, 'index', f)).mtimeMs]);
    const before = indexFiles();
    const tail = store.db.prepare('SELECT seq, first_id, sealed FROM index_shards ORDER BY seq DESC LIMIT 1').get() as { seq: number; first_id: number; sealed: number };
    assert.equal(tail.sealed, 0, 'the case ends with an unsealed tail shard (what used to be rebuilt)');
    const complete = cli(['index', caseDir, '--json']);
    assert.equal(complete.status, 0, complete.stderr);
    const out = JSON.parse(complete.stdout);
    assert.deepEqual([out.shardsWritten, out.docs], [0, 0]);
    assert.ok(out.caseTerms.terms > 0 && out.caseTerms.shards > 0, JSON.stringify(out.caseTerms));
    assert.deepEqual(indexFiles(), before, 'no index file written');
    // The tail lost: indexed again, written early (progressive) and at the end, counted once.
    store.db.prepare('DELETE FROM index_shards WHERE seq = ?').run(tail.seq);
    const expected = (store.db.prepare('SELECT COUNT(*) n FROM messages WHERE id >= ?').get(tail.first_id) as { n: number }).n;
    const again = JSON.parse(cli(['index', caseDir, '--json']).stdout);
    assert.deepEqual([again.shardsWritten, again.docs], [1, expected]);
  });

  test('a freshly opened searcher (no date read) orders and filters as one with every date read', () => {
    const loaded = new Searcher(store.db, caseDir).warm();
    loaded.matchingIds(''); // reads every message's date
    const queries = ['', 'budget', 'campagne', 'camp*', 'tresorier~1', 'date:2017-04-01..2017-04-15', 'after:2017-04-10 budget', 'budget after:2000-01-01', 'date:2017-04-01..2017-04-03 campagne', 'elysee after:2017-04-10', 'before:2017-04-10 kernel OR patch', 'zzzyx after:2017-04-10', 'has:attachment', '-budget', 'kernel OR patch', 'from:en-marche.fr', 'zzzyx'];
    for (const q of queries) {
      for (const sort of ['date', 'date-asc', 'relevance'] as const) {
        for (const limit of [1, 10, 200]) {
          const fresh = new Searcher(store.db, caseDir).warm();
          const a = fresh.search(q, { sort, limit });
          const b = loaded.search(q, { sort, limit });
          assert.deepEqual(a.hits.map((h) => h.id), b.hits.map((h) => h.id), `${q} ${sort} ${limit}`);
          assert.equal(a.total, b.total, `${q} total`);
        }
      }
    }
    // A date range with words narrows the words' hits (keepDated): the same as intersecting with the range alone.
    for (const [words, range] of [['budget', 'after:2000-01-01'], ['elysee', 'after:2017-04-10'], ['campagne', 'date:2017-04-01..2017-04-03']]) {
      const fresh = new Searcher(store.db, caseDir).warm();
      const inRange = new Set(found(fresh, range!));
      assert.deepEqual(found(new Searcher(store.db, caseDir).warm(), `${words} ${range}`), found(fresh, words!).filter((id) => inRange.has(id)), `${words} ${range}`);
    }
    const withAttachments = store.db.prepare('SELECT id FROM messages WHERE attachment_count > 0 ORDER BY id').pluck().all();
    assert.ok(withAttachments.length > 0);
    assert.deepEqual([...new CaseIds(store.db).withAttachments().keys()].sort((a, b) => a - b), withAttachments, 'has:attachment: the attachments table names the messages whose count is > 0');
    // Walking the date index (what a date-ordered page of many hits does) gives the head of the full sort.
    for (const q of ['', 'budget', 'camp*', 'kernel']) {
      for (const ascending of [false, true]) {
        const all = loaded.matchingIds(q, ascending ? 'date-asc' : 'date');
        const walked = new CaseIds(store.db).datePage(new Map(all.map((id) => [id, 1])), 25, ascending);
        if (all.length > 0) assert.deepEqual(walked, all.slice(0, 25), `${q} ${ascending}`);
      }
    }
  });
});
