// The streaming ShardBuilder must produce exactly lunr.Builder's index: every term, every posting
// (message, field) and every BM25 field weight, on real mail (the corpora) and on generated mail.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { ingest } from '../../electron/engine/ingest/ingest';
import { encodeShard, encodeShardSource, lunrSource, type ShardSource } from '../../electron/engine/search/binary-shard';
import { docsAfter, inflateDoc, type IndexDoc } from '../../electron/engine/search/index-doc';
import { INDEX_FIELDS, ShardBuilder } from '../../electron/engine/search/shard-builder';
import { configureBuilder, lunr } from '../../electron/engine/search/text-analysis';
import { generateMbox } from '../fixtures/archive-generator';
import { corpus, needsCorpora } from '../helpers/corpora';
import { tempDir } from '../helpers/temp';

/** The reference: Lunr's own Builder, configured as Casefile configures it. */
function lunrIndex(docs: IndexDoc[]): lunr.Index {
  const b = new lunr.Builder();
  configureBuilder(b);
  b.ref('id');
  for (const f of INDEX_FIELDS) b.field(f);
  for (const d of docs) b.add(d);
  return b.build();
}

function streamed(docs: IndexDoc[]): ShardSource {
  const b = new ShardBuilder();
  for (const d of docs) b.add(d);
  return b.build();
}

/** The shard of `docs` built by a builder that carries over the analysis of `previous`'s builder. */
function streamedAfter(previous: IndexDoc[], docs: IndexDoc[]): ShardSource {
  const first = new ShardBuilder();
  for (const d of previous) first.add(d);
  first.build();
  const b = new ShardBuilder(first);
  for (const d of docs) b.add(d);
  return b.build();
}

/** Every (term, field) list of a source as "term field id=weight …" lines (weights as Lunr's float64). */
function lists(source: ShardSource): Map<string, string> {
  const out = new Map<string, string>();
  const ids: number[] = [];
  const weights: number[] = [];
  source.terms.forEach((term, t) =>
    source.fields.forEach((field, f) => {
      const n = source.list(t, f, ids, weights);
      if (n > 0) out.set(`${term}\u0000${field}`, ids.slice(0, n).map((id, i) => `${id}=${weights[i]}`).join(' '));
    }),
  );
  return out;
}

/** `carried`: the builder starts with the analysis of a previous shard's builder over these docs. */
function assertSame(docs: IndexDoc[], label: string, carried: IndexDoc[] = []): void {
  const index = lunrIndex(docs);
  const mine = carried.length ? streamedAfter(carried, docs) : streamed(docs);
  const theirs = lunrSource(index);
  assert.deepEqual(mine.fields, theirs.fields, `${label}: fields`);
  assert.deepEqual(mine.terms, theirs.terms, `${label}: terms`);
  const a = lists(mine);
  const b = lists(theirs);
  assert.equal(a.size, b.size, `${label}: number of posting lists`);
  for (const [key, value] of b) assert.equal(a.get(key), value, `${label}: ${key.replace('\u0000', ' in ')}`);
  // And so the shard files are byte for byte the same.
  assert.ok(encodeShardSource(mine).equals(encodeShard(index)), `${label}: shard bytes`);
  assert.ok(mine.terms.length > 100 && a.size > 200, `${label}: ${mine.terms.length} terms, ${a.size} lists (a real sample)`);
}

async function docsOf(inputs: string[]): Promise<IndexDoc[]> {
  const caseDir = path.join(tempDir('casefile-eqv-'), 'case');
  await ingest({ caseDir, inputs, index: false });
  const db = new Database(path.join(caseDir, 'case.sqlite'), { readonly: true });
  try {
    return [...docsAfter(db, 0)].flat().map((w) => {
      const { truncated: _t, ...doc } = inflateDoc(w);
      return doc;
    });
  } finally {
    db.close();
  }
}

test('ShardBuilder equals lunr.Builder on real mailing-list mail (ponymail mboxes, notmuch corpora)', needsCorpora, async () => {
  const docs = await docsOf([corpus('ponymail-asf-mbox'), corpus('notmuch-corpora')]);
  assert.ok(docs.length > 200, `${docs.length} messages`);
  assertSame(docs, 'ponymail+notmuch');
  // The next shard of a run: a builder that carries the previous shard's analysis gives the same shard.
  const half = Math.floor(docs.length / 2);
  assertSame(docs.slice(half), 'ponymail+notmuch, second shard', docs.slice(0, half));
});

test('ShardBuilder equals lunr.Builder on mailparser\'s and MimeKit\'s test messages (encodings, odd structure)', needsCorpora, async () => {
  const docs = await docsOf([corpus('mailparser-fixtures'), corpus('mimekit-testdata')]);
  assert.ok(docs.length > 50, `${docs.length} messages`);
  assertSame(docs, 'mailparser+mimekit');
});

test('ShardBuilder equals lunr.Builder on generated French/English mail, including after a rebuild of the tail', async () => {
  const dir = tempDir('casefile-eqv-gen-');
  const mbox = path.join(dir, 'gen.mbox');
  await generateMbox(mbox, Infinity, 11, 200);
  const docs = await docsOf([mbox]);
  assertSame(docs, 'generated');
  // The tail shard is written, grows, and is written again: build() must not consume the builder.
  const b = new ShardBuilder();
  docs.slice(0, 80).forEach((d) => b.add(d));
  b.build();
  docs.slice(80).forEach((d) => b.add(d));
  assert.ok(encodeShardSource(b.build()).equals(encodeShard(lunrIndex(docs))), 'tail rebuilt');
  assert.throws(() => b.add(docs[0]!), /ids must increase/);
});
