import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateMessage, Rng } from '../fixtures/archive-generator';
import { configureBuilder, lunr } from '../../electron/engine/search/text-analysis';

test('the fast Builder.add produces exactly the index lunr’s own add produces', () => {
  const rng = new Rng(3);
  const docs = Array.from({ length: 300 }, (_, i) => {
    const m = generateMessage(rng, i, null);
    return { id: String(i + 1), subject: m.subject, body: m.text.replace(/[A-Za-z0-9+/=]{40,}/g, ''), from: 'Émilie <emilie@en-marche.fr>', to: '', cc: '', filename: 'rapport-final.pdf' };
  });
  const build = (fast: boolean) => {
    const b = new lunr.Builder();
    configureBuilder(b);
    if (!fast) delete (b as any).add; // back to lunr.Builder.prototype.add
    b.ref('id');
    for (const f of ['subject', 'from', 'to', 'cc', 'body', 'filename']) b.field(f);
    for (const d of docs) b.add(d);
    return JSON.stringify(b.build());
  };
  const fast = build(true);
  assert.equal(fast, build(false));
  assert.ok(fast.length > 10_000);
});
