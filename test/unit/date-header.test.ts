// parseDateHeader (raw-headers.ts) skips its clean-up steps where they change nothing and tests the year
// range on the time value: the same result as its first form for every Date and Received date of the corpora.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDateHeader } from '../../electron/engine/parse/raw-headers';
import { corpusTexts, needsCorpora } from '../helpers/corpora';

/** The first form, kept as the reference. */
function reference(value: string): number | null {
  const cleaned = value.replace(/\([^)]*\)/g, ' ').replace(/\s+/g, ' ').trim();
  if (!cleaned) return null;
  const ms = Date.parse(cleaned);
  if (Number.isNaN(ms)) return null;
  const year = new Date(ms).getUTCFullYear();
  return year >= 1970 && year <= 2200 ? ms : null;
}

test('parseDateHeader equals its first form on edge cases', () => {
  const cases = [
    'Sat, 1 Apr 2017 02:00:24 +0200', ' Sat,  1 Apr 2017\t02:00:24 +0200 (CEST) ', '', '(x)', ' ', 'garbage', '2017-04-01T10:00:00Z',
    'Thu, 31 Dec 2200 23:59:59 +0000', 'Fri, 1 Jan 2201 00:00:00 +0000', 'Fri, 1 Jan 2201 00:30:00 +0100', 'Wed, 31 Dec 1969 23:59:59 +0000',
    'Thu, 1 Jan 1970 00:00:00 +0000', 'Thu, 1 Jan 1970 00:30:00 +0100', '1 Apr 2017\u00a0\u00a010:00', 'Sat, 1 Apr 17 02:00:24 GMT', '\u2028Sat, 1 Apr 2017 02:00:24 +0200',
  ];
  for (const c of cases) assert.equal(parseDateHeader(c), reference(c), JSON.stringify(c));
});

test('parseDateHeader equals its first form on every Date and Received date of the corpora', needsCorpora, () => {
  let n = 0;
  for (const { file, text } of corpusTexts('ponymail-asf-mbox', 'notmuch-corpora', 'mimekit-testdata', 'mailauth-dkim')) {
    for (const m of text.matchAll(/^(?:Date:(.*)|Received:[^;]*;(.*))$/gim)) {
      const value = (m[1] ?? m[2] ?? '').trim();
      assert.equal(parseDateHeader(value), reference(value), `${file}: ${JSON.stringify(value)}`);
      n++;
    }
  }
  assert.ok(n > 1000, `${n} dates compared`);
});
