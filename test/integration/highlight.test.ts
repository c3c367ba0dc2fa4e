import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createHandlers, type HandlerTable } from '../../electron/engine/api/handlers';
import { ingest } from '../../electron/engine/ingest/ingest';
import { highlighter, withinDistance } from '../../electron/engine/search/highlight';
import { docsAfter, inflateDoc } from '../../electron/engine/search/index-doc';
import { CaseStore } from '../../electron/engine/store/case-store';
import type { SearchResult } from '../../shared/types';
import { generateMbox } from '../fixtures/archive-generator';
import { corpus, HAVE_CORPORA } from '../helpers/corpora';
import { tempDir } from '../helpers/temp';

/**
 * Hit highlighting against the index itself: for a word query, the messages in which the highlighter
 * marks something in the indexed fields are exactly the messages the search returns (Lunr's pipeline
 * decides the hits, the highlighter decides the marks: two implementations that must agree).
 */
describe('hit highlighting agrees with the index', () => {
  const evidence = tempDir('casefile-hl-ev-');
  const caseDir = path.join(tempDir('casefile-hl-'), 'case');
  let store: CaseStore;
  let api: HandlerTable;
  /** Message id → the text of every indexed field, the body cut where the index cuts it. */
  const fields = new Map<number, string[]>();

  before(async () => {
    const inputs = [path.join(evidence, 'fr.mbox')];
    await generateMbox(inputs[0]!, 300 * 1024, 14);
    if (HAVE_CORPORA) inputs.push(corpus('ponymail-asf-mbox/corpus/maven-dev-2017-12-mboxvm.mbox'));
    await ingest({ caseDir, inputs });
    store = CaseStore.open(caseDir);
    api = createHandlers(store);
    for (const page of docsAfter(store.db, 0)) {
      for (const wire of page) {
        const d = inflateDoc(wire);
        fields.set(d.id, [d.subject, d.from, d.to, d.cc, d.body, d.filename, d.attachment]);
      }
    }
  });
  after(() => store?.close());

  const hitsOf = async (query: string) => new Set(((await api.search({ query, limit: 5000, offset: 0 })) as SearchResult).hits.map((h) => h.id));
  const markedIn = (query: string) => {
    const h = highlighter(query);
    return new Set([...fields].filter(([, texts]) => texts.some((t) => h.ranges(t).length > 0)).map(([id]) => id));
  };

  for (const query of ['campagne', 'élysée', ...(HAVE_CORPORA ? ['release', 'apache.org'] : [])]) {
    test(`"${query}": marked exactly in the messages it finds`, async () => {
      const hits = await hitsOf(query);
      assert.ok(hits.size > 0, 'the word occurs');
      assert.deepEqual([...markedIn(query)].sort((a, b) => a - b), [...hits].sort((a, b) => a - b));
    });
  }

  for (const q of ['c*gne', 'campagen~1', 'phrase', ...(HAVE_CORPORA ? ['rel*se', '"pull request"'] : [])]) {
    test(`"${q}": every hit has a mark`, async () => {
      // A phrase taken from a stored body: two consecutive long words of the first message.
      const query = q === 'phrase' ? `"${/(\p{L}{5,} \p{L}{5,})/u.exec(fields.get(1)![4]!)![1]}"` : q;
      const hits = await hitsOf(query);
      assert.ok(hits.size > 0);
      const marked = markedIn(query);
      for (const id of hits) assert.ok(marked.has(id), `message ${id} found but not marked`);
    });
  }

  test('marks the words themselves: ranges are whole words, phrases span their words, negations mark nothing', () => {
    const text = "Réunion de l'Élysée sur la campagne; les campagnes de jean.dupont@en-marche.fr — pas la presse.";
    const words = (q: string) => highlighter(q).ranges(text).map(([a, b]) => text.slice(a, b));
    assert.deepEqual(words('campagne'), ['campagne', 'campagnes']);
    assert.deepEqual(words('elysee'), ["l'Élysée"]);
    assert.deepEqual(words('dupont'), ['dupont']);
    assert.deepEqual(words('jean.dupont@en-marche.fr'), ['jean.dupont@en-marche.fr']);
    assert.deepEqual(words('"sur la campagne"'), ['sur la campagne']);
    assert.deepEqual(words('c*gne'), ['campagne', 'campagnes'], 'campagnes through its stem, as the index finds it');
    assert.deepEqual(words('*gne'), ['campagne', 'campagnes']);
    assert.deepEqual(words('campagne -presse'), ['campagne', 'campagnes']);
    assert.deepEqual(words('NOT campagne'), []);
    assert.deepEqual(words('from:x@y.fr date:2017'), []);
    assert.deepEqual(words('reunoin~2'), ['Réunion']);
  });

  test('edit distance counts a transposition as one edit, as Lunr does', () => {
    assert.ok(withinDistance('macron', 'macorn', 1));
    assert.ok(!withinDistance('macron', 'marcon', 0));
    assert.ok(withinDistance('kitten', 'sitting', 3) && !withinDistance('kitten', 'sitting', 2));
  });

  test('the API marks several texts at once and refuses what is too large', async () => {
    const r = await api.highlight({ query: 'campagne', texts: ['la campagne', 'rien', ''] });
    assert.deepEqual(r.ranges, [[[3, 11]], [], []]);
    await assert.rejects(api.highlight({ query: 'x', texts: 'nope' } as never), /texts must be/);
    await assert.rejects(api.highlight({ query: '"unclosed', texts: ['a'] }), /quote/);
  });
});
