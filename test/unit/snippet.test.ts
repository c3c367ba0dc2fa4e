// A snippet is the window around the first match with every match inside it marked; the scan stops once
// the window's end is passed (later matches are not shown), which must not change what is shown.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeSnippet } from '../../electron/engine/search/snippet';

test('the window around the first match marks every match inside it, and only those, however long the body', () => {
  const filler = (n: number) => Array.from({ length: n }, (_, i) => `mot${i % 13}`).join(' ');
  const notes = { stems: new Set(['budget']), prefixes: ['camp'], phrases: [] as string[] };
  for (const before of [0, 3, 40]) {
    const body = `${filler(before)} budget ${filler(5)} campagne ${filler(8)} budgets\n\n${filler(30)} budget ${filler(3000)} campagnes`;
    const s = makeSnippet(body, notes);
    const marked = s.highlights.map(([a, b]) => s.text.slice(a, b));
    // Every occurrence of the words inside the shown text is marked, in order; nothing outside it is.
    const shown = [...s.text.matchAll(/\b(budgets?|campagnes?)\b/g)].map((m) => m[0]);
    assert.deepEqual(marked, shown, `${before} words before`);
    assert.ok(marked[0] === 'budget' && s.text.endsWith('…'));
  }
  // A phrase before the first word still opens the window.
  const s = makeSnippet(`${filler(50)} second tour ${filler(10)} budget ${filler(500)}`, { stems: new Set(['budget']), prefixes: [], phrases: ['second tour'] });
  assert.equal(s.text.slice(...s.highlights[0]!), 'second tour');
});
