// headerBlockEnd (source/eol.ts): the end of the first blank line, whatever the line endings.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { headerBlockEnd } from '../../electron/engine/source/eol';

/** The definition: the earliest blank line in any of the four forms, and its length. */
function reference(s: string): number {
  const forms = ['\n\n', '\n\r\n', '\r\r', '\r\n\r\n'];
  if (/^(\r\n|\n|\r)/.test(s)) return /^(\r\n|\n|\r)/.exec(s)![1]!.length;
  let best = -1;
  for (const f of forms) {
    const i = s.indexOf(f);
    if (i !== -1 && (best === -1 || i < best)) best = i;
  }
  if (best === -1) return -1;
  const eol = (at: number) => (s.startsWith('\r\n', at) ? 2 : s[at] === '\n' || s[at] === '\r' ? 1 : 0);
  const first = eol(best);
  const second = eol(best + first);
  return second > 0 && best + first + second <= s.length ? best + first + second : -1;
}

test('headerBlockEnd finds the first blank line in LF, CRLF, CR-only and mixed headers', () => {
  const cases = [
    'A: 1\nB: 2\n\nbody\n\r\nmore', 'A: 1\r\nB: 2\r\n\r\nbody\n\nmore', 'A: 1\nB: 2\n\r\nbody\n\nmore', 'A: 1\rB: 2\r\rbody\n\n',
    'A: 1\n\r\n\n', '\nbody', '\r\nbody', 'A: 1\nB: 2\n', 'A: 1\n\n', 'A: 1\r\n\r\n', 'A: 1\r\n', 'A: 1\nB\r\n\n' + 'x'.repeat(100) + '\n\r\n',
  ];
  for (const c of cases) assert.equal(headerBlockEnd(Buffer.from(c, 'latin1')), reference(c), JSON.stringify(c));
});
