import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createHandlers, type HandlerTable } from '../../electron/engine/api/handlers';
import { loadFacetCache, saveFacetCache } from '../../electron/engine/facets/facet-cache';
import { FacetIndex } from '../../electron/engine/facets/facet-index';
import { computeFacets } from '../../electron/engine/facets/facet-query';
import { ingest } from '../../electron/engine/ingest/ingest';
import { CaseStore } from '../../electron/engine/store/case-store';
import type { FacetsResult } from '../../shared/types';
import { generateMbox } from '../fixtures/archive-generator';
import { corpus, HAVE_CORPORA } from '../helpers/corpora';
import { tempDir } from '../helpers/temp';

/**
 * Facets, timeline and matrix of a per-person evidence layout (a Maildir folder, an mbox beside it, a
 * folder holding an mbox), every expectation computed here from the stored rows with SQL of its own.
 */
describe('overview facets against the stored data', () => {
  const evidence = tempDir('casefile-facets-ev-');
  const caseDir = path.join(tempDir('casefile-facets-'), 'case');
  let store: CaseStore;
  let api: HandlerTable;
  const facets = (args: Record<string, unknown>) => api.facets({ query: '', ...args } as never) as Promise<FacetsResult>;
  const countOf = (r: FacetsResult, f: keyof FacetsResult['facets'], v: string) => r.facets[f].find((x) => x.value === v)?.count ?? 0;

  before(async () => {
    mkdirSync(path.join(evidence, 'carol'));
    await generateMbox(path.join(evidence, 'carol', 'sent.mbox'), 300 * 1024, 5);
    if (HAVE_CORPORA) {
      cpSync(corpus('notmuch-corpora/test/corpora/default'), path.join(evidence, 'alice'), { recursive: true });
      cpSync(corpus('ponymail-asf-mbox/corpus/maven-dev-2017-12-mboxvm.mbox'), path.join(evidence, 'bob.mbox'));
    }
    await ingest({ caseDir, inputs: [evidence] });
    store = CaseStore.open(caseDir);
    api = createHandlers(store);
  });
  after(() => store?.close());

  /** The test's own reading of the layout: first folder under the evidence root, or the mbox's name. */
  function expectedMailboxes(): Map<string, number> {
    const rows = store.db
      .prepare('SELECT s.path FROM messages m JOIN locations l ON l.id = (SELECT MIN(id) FROM locations WHERE message_id = m.id) JOIN sources s ON s.id = l.source_id')
      .all() as { path: string }[];
    const out = new Map<string, number>();
    for (const { path: p } of rows) {
      const rel = path.relative(evidence, p).split(path.sep);
      const label = rel.length > 1 ? rel[0]! : rel[0]!.replace(/\.mbox$/, '');
      out.set(label, (out.get(label) ?? 0) + 1);
    }
    return out;
  }

  test('mailboxes come from the per-person folders, counts equal the stored locations', async () => {
    const r = await facets({});
    const want = expectedMailboxes();
    assert.equal(r.facets.mailbox.length, want.size);
    for (const [label, n] of want) assert.equal(countOf(r, 'mailbox', label), n, label);
    if (HAVE_CORPORA) assert.deepEqual([...want.keys()].sort(), ['alice', 'bob', 'carol']);
    assert.equal(r.total, (store.db.prepare('SELECT COUNT(*) n FROM messages').get() as { n: number }).n);
  });

  test('sender domains and senders follow the query', async () => {
    const q = HAVE_CORPORA ? 'maven' : 'campagne';
    const r = await facets({ query: q });
    const s = (await api.search({ query: q, limit: 5000, offset: 0 })) as { total: number; hits: { id: number }[] };
    assert.equal(r.total, s.total);
    const ids = JSON.stringify(s.hits.map((h) => h.id));
    const domains = store.db
      .prepare("SELECT lower(substr(from_addr, instr(from_addr, '@') + 1)) d, COUNT(*) n FROM messages WHERE id IN (SELECT value FROM json_each(?)) AND from_addr LIKE '%@%' GROUP BY d ORDER BY n DESC")
      .all(ids) as { d: string; n: number }[];
    for (const { d, n } of domains.slice(0, 5)) assert.equal(countOf(r, 'domain', d), n, d);
  });

  test('a facet filter narrows search and facets alike; its own alternatives stay counted', async () => {
    const all = await facets({});
    const [first, second] = all.facets.mailbox;
    const r = await facets({ filters: { mailbox: [first!.value] } });
    assert.equal(r.total, first!.count);
    const s = (await api.search({ query: '', limit: 10, offset: 0, filters: { mailbox: [first!.value] } } as never)) as { total: number };
    assert.equal(s.total, first!.count);
    if (second) assert.equal(countOf(r, 'mailbox', second.value), second.count, 'the other mailboxes keep their counts');
    const both = await facets({ filters: { mailbox: [first!.value, ...(second ? [second.value] : [])] } });
    assert.equal(both.total, first!.count + (second?.count ?? 0));
  });

  test('timeline months equal the stored dates; a date range filters exactly', async () => {
    const r = await facets({ unit: 'month' });
    assert.equal(r.timeline.unit, 'month');
    const months = store.db.prepare("SELECT strftime('%Y-%m', date_ms / 1000, 'unixepoch') m, COUNT(*) n FROM messages WHERE date_ms IS NOT NULL GROUP BY m").all() as { m: string; n: number }[];
    const got = new Map(r.timeline.buckets.map((b) => [new Date(b.start).toISOString().slice(0, 7), b.counts[0]!]));
    for (const { m, n } of months) assert.equal(got.get(m), n, m);
    const undated = (store.db.prepare('SELECT COUNT(*) n FROM messages WHERE date_ms IS NULL').get() as { n: number }).n;
    assert.equal(r.timeline.undated, undated);
    const busiest = r.timeline.buckets.reduce((a, b) => (b.counts[0]! > a.counts[0]! ? b : a));
    const to = Date.UTC(new Date(busiest.start).getUTCFullYear(), new Date(busiest.start).getUTCMonth() + 1, 1);
    const f = await facets({ filters: { date: { from: busiest.start, to } } });
    assert.equal(f.total, busiest.counts[0]);
    assert.equal(f.timeline.buckets.reduce((n, b) => n + b.counts[0]!, 0) + f.timeline.undated, r.total, 'the timeline keeps its context under a date filter');
  });

  test('flag and dkim facets count the stored authenticity terms; a filter on one narrows to exactly its messages; stacking by it adds up', async () => {
    const r = await facets({});
    for (const facet of ['flag', 'dkim'] as const) {
      const rows = store.db
        .prepare('SELECT substr(term, 6) v, COUNT(*) n FROM message_auth_terms WHERE substr(term, 1, 5) = ? GROUP BY term ORDER BY n DESC, v')
        .all(`${facet}:`) as { v: string; n: number }[];
      assert.ok(rows.length > 0, `the case has ${facet} terms`);
      assert.deepEqual(
        r.facets[facet].map((x) => [x.value, x.count]),
        rows.slice(0, 20).map((x) => [x.v, x.n]),
      );
      const pick = rows.at(-1)!; // the rarest value
      const f = await facets({ filters: { [facet]: [pick.v] } });
      assert.equal(f.total, pick.n);
      const s = (await api.search({ query: '', limit: 5000, offset: 0, filters: { [facet]: [pick.v] } } as never)) as { total: number; hits: { id: number }[] };
      const want = store.db.prepare('SELECT message_id FROM message_auth_terms WHERE term = ? ORDER BY message_id').pluck().all(`${facet}:${pick.v}`) as number[];
      assert.deepEqual(s.hits.map((h) => h.id).sort((a, b) => a - b), want);
    }
    const plain = await facets({ unit: 'month' });
    const stacked = await facets({ unit: 'month', stackBy: 'dkim' });
    stacked.timeline.buckets.forEach((b, i) => assert.equal(b.counts.reduce((x, y) => x + y, 0), plain.timeline.buckets[i]!.counts[0]));
  });

  test('stacked timeline: series add up to the unstacked bars', async () => {
    const plain = await facets({ unit: 'week' });
    const stacked = await facets({ unit: 'week', stackBy: 'mailbox' });
    assert.equal(stacked.timeline.series.at(-1), 'other');
    stacked.timeline.buckets.forEach((b, i) => assert.equal(b.counts.reduce((x, y) => x + y, 0), plain.timeline.buckets[i]!.counts[0]));
    for (const b of plain.timeline.buckets) assert.equal(new Date(b.start).getUTCDay(), 1, 'weeks start on Monday');
  });

  test('who writes to whom: each cell equals the stored sender/recipient pairs', async () => {
    const r = await facets({});
    assert.ok(r.matrix.senders.length > 0 && r.matrix.recipients.length > 0);
    const pair = store.db.prepare(
      `SELECT COUNT(*) n FROM messages m WHERE lower(m.from_addr) = ?
         AND EXISTS (SELECT 1 FROM json_each(m.to_json) j WHERE lower(json_extract(j.value, '$.address')) = ?
                     UNION SELECT 1 FROM json_each(m.cc_json) j WHERE lower(json_extract(j.value, '$.address')) = ?)`,
    );
    r.matrix.senders.forEach((s, i) => r.matrix.recipients.forEach((rc, j) => assert.equal(r.matrix.counts[i]![j], (pair.get(s, rc, rc) as { n: number }).n, `${s} → ${rc}`)));
  });

  test('attachment types, tags and language', async () => {
    const pdf = (store.db.prepare("SELECT COUNT(DISTINCT message_id) n FROM attachments WHERE coalesce(sniffed_type, content_type) = 'application/pdf' OR lower(filename) LIKE '%.pdf'").get() as { n: number }).n;
    let r = await facets({});
    assert.equal(countOf(r, 'attachment', 'PDF'), pdf);
    const ids = (store.db.prepare('SELECT id FROM messages ORDER BY id LIMIT 7').all() as { id: number }[]).map((x) => x.id);
    await api.tagMessages({ tag: 'Hot', selection: { ids } });
    r = await facets({});
    assert.equal(countOf(r, 'tag', 'Hot'), 7);
    assert.equal((await facets({ filters: { tag: ['hot'] } })).total, 7, 'tag names compare case-insensitively, as tag: does');
    if (HAVE_CORPORA) {
      const bob = await facets({ filters: { mailbox: ['bob'] } });
      assert.ok(countOf(bob, 'language', 'en') >= 0.8 * bob.total, `the maven-dev list is English (${JSON.stringify(bob.facets.language)})`);
    }
  });

  test('list, overview, tag-all and export take exactly the same filtered set', async () => {
    const q = HAVE_CORPORA ? 'maven' : 'campagne';
    const all = (await api.search({ query: q, limit: 5000, offset: 0 })) as { hits: { id: number }[] };
    // The test's own reading of the filter: the hits sent from the query's most frequent sender domain.
    const domainOf = new Map((store.db.prepare("SELECT id, lower(substr(from_addr, instr(from_addr, '@') + 1)) d FROM messages WHERE from_addr LIKE '%@%'").all() as { id: number; d: string }[]).map((r) => [r.id, r.d]));
    const domain = (await facets({ query: q })).facets.domain[0]!.value;
    const want = all.hits.map((h) => h.id).filter((id) => domainOf.get(id) === domain).sort((a, b) => a - b);
    assert.ok(want.length > 0 && want.length < all.hits.length, `the filter must narrow (${want.length} of ${all.hits.length})`);
    const filters = { domain: [domain] };

    const listed = (await api.search({ query: q, limit: 5000, offset: 0, filters } as never)) as { total: number; hits: { id: number }[] };
    assert.deepEqual(listed.hits.map((h) => h.id).sort((a, b) => a - b), want);
    assert.equal((await facets({ query: q, filters })).total, want.length);
    const tagged = await api.tagMessages({ tag: 'filtered-set', selection: { query: q, filters } } as never);
    assert.equal(tagged.matched, want.length);
    const withTag = (store.db.prepare("SELECT mt.message_id id FROM message_tags mt JOIN tags t ON t.id = mt.tag_id WHERE t.name = 'filtered-set' ORDER BY 1").all() as { id: number }[]).map((r) => r.id);
    assert.deepEqual(withTag, want);

    const out = path.join(tempDir('casefile-facets-out-'), 'export');
    const { job } = await api.startExport({ selection: { query: q, filters }, format: 'json', out } as never);
    let status = await api.exportStatus({ job });
    while (status.state === 'running') {
      await new Promise((r) => setTimeout(r, 20));
      status = await api.exportStatus({ job });
    }
    assert.equal(status.error, undefined);
    const records = JSON.parse(readFileSync(path.join(out, 'messages.json'), 'utf8')) as { id: number }[];
    assert.deepEqual(records.map((r) => r.id).sort((a, b) => a - b), want);
  });

  test('a query of stop words alone is empty for the list, the overview and tag-all alike', async () => {
    const s = (await api.search({ query: 'the', limit: 10, offset: 0 })) as { total: number };
    assert.equal(s.total, 0);
    assert.equal((await facets({ query: 'the' })).total, 0);
    assert.equal((await api.tagMessages({ tag: 'nothing', selection: { query: 'the' } })).matched, 0, 'tag-all used to take every message here');
  });

  test('the facet columns kept in the case give the same overview; a damaged file is ignored; later dates are re-read', () => {
    const file = path.join(tempDir('casefile-facets-cache-'), 'facets.cache');
    const fresh = new FacetIndex(store.db).refresh();
    saveFacetCache(file, store.db, fresh);
    const cached = new FacetIndex(store.db);
    assert.equal(loadFacetCache(file, store.db, cached), true);
    cached.refresh();
    for (const opts of [{}, { stackBy: 'language' as const, unit: 'week' as const }]) {
      assert.deepEqual(computeFacets(cached, null, { domain: [fresh.domains.values[1]!] }, opts), computeFacets(fresh, null, { domain: [fresh.domains.values[1]!] }, opts));
    }
    writeFileSync(file, readFileSync(file).subarray(0, 100));
    assert.equal(loadFacetCache(file, store.db, new FacetIndex(store.db)), false, 'a truncated file is read as no file');
    // The authenticity pass dates an undated message from its first Received hop after the file was written.
    saveFacetCache(file, store.db, fresh);
    const row = store.db.prepare('SELECT id, date_ms FROM messages WHERE date_ms IS NOT NULL ORDER BY id LIMIT 1').get() as { id: number; date_ms: number };
    store.db.prepare("UPDATE messages SET date_ms = ?, date_source = 'received' WHERE id = ?").run(row.date_ms + 86_400_000, row.id);
    try {
      const later = new FacetIndex(store.db);
      assert.equal(loadFacetCache(file, store.db, later), true);
      assert.equal(later.date[later.pos.get(row.id)!], row.date_ms + 86_400_000);
    } finally {
      store.db.prepare('UPDATE messages SET date_ms = ?, date_source = NULL WHERE id = ?').run(row.date_ms, row.id);
    }
  });

  test('an index refreshed with nothing written keeps its columns; a write on its own connection or on another is picked up', () => {
    const ix = new FacetIndex(store.db).refresh();
    const before = ix.auth;
    assert.equal(ix.refresh().auth, before, 'nothing written: the authenticity columns are not read again');
    const id = store.db.prepare('SELECT MIN(message_id) FROM message_auth').pluck().get() as number;
    const verifiedAt = store.db.prepare('SELECT verified_at FROM message_auth WHERE message_id = ?').pluck().get(id) as string;
    const count = (name: string) => computeFacets(ix.refresh(), null, {}).facets.flag.find((v) => v.value === name)?.count ?? 0;
    const other = CaseStore.open(caseDir); // another connection, as the desktop engine's writers have
    try {
      // Written by the other connection (data_version): a new flag on one message.
      other.db.prepare("INSERT INTO message_auth_terms (term, message_id) VALUES ('flag:test-other', ?)").run(id);
      other.db.prepare("UPDATE message_auth SET verified_at = '9999-01-01T00:00:00.000Z' WHERE message_id = ?").run(id);
      assert.equal(count('test-other'), 1);
      // Written on the index's own connection (total_changes).
      store.db.prepare("INSERT INTO message_auth_terms (term, message_id) VALUES ('flag:test-own', ?)").run(id);
      store.db.prepare("UPDATE message_auth SET verified_at = '9999-01-02T00:00:00.000Z' WHERE message_id = ?").run(id);
      assert.equal(count('test-own'), 1);
    } finally {
      store.db.prepare("DELETE FROM message_auth_terms WHERE term IN ('flag:test-other', 'flag:test-own')").run();
      store.db.prepare('UPDATE message_auth SET verified_at = ? WHERE message_id = ?').run(verifiedAt, id);
      other.close();
    }
    assert.equal(count('test-own'), 0);
  });

  test('bad filters are refused in words', async () => {
    await assert.rejects(facets({ filters: { planet: ['x'] } }), /unknown filter/);
    await assert.rejects(facets({ filters: { date: { from: 5, to: 1 } } }), /from < to/);
    await assert.rejects(facets({ stackBy: 'nope' }), /stackBy/);
  });
});
