import assert from 'node:assert/strict';
import { test } from 'node:test';
import { collapseSpace } from '../../electron/engine/parse/collapse-space';
import { corpusTexts, needsCorpora } from '../helpers/corpora';

const reference = (s: string) => s.replace(/\s+/g, ' ').trim();

test('collapseSpace is /\\s+/g → " " then trim: every kind of whitespace, runs and edges', () => {
  // Every character \s matches (ECMAScript WhiteSpace and LineTerminator), alone, doubled, between words, at the edges.
  const spaces = [...'\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff'];
  for (const a of spaces) {
    for (const b of ['', ...spaces]) {
      for (const s of [`${a}${b}`, `x${a}${b}y`, `${a}x${b}`, `x ${a}y${b} z`, `x${a} ${b}y`]) assert.equal(collapseSpace(s), reference(s), JSON.stringify(s));
    }
  }
  for (const s of ['', 'a', 'a b', '\u0085x\u180ey\u200bz']) assert.equal(collapseSpace(s), reference(s), JSON.stringify(s));
});

test('collapseSpace on every corpus file as text', needsCorpora, () => {
  let n = 0;
  for (const { file, text } of corpusTexts('mailparser-fixtures', 'mimekit-testdata', 'notmuch-corpora', 'ponymail-asf-mbox', 'tika-documents')) {
    assert.equal(collapseSpace(text), reference(text), file);
    n++;
  }
  assert.ok(n > 100, `${n} texts`);
});
