import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildPairFilter, filterMayContain, pairHashes, PairFilterSection } from '../../electron/engine/search/phrase-pairs';

// A shard's pair-filter section read through typed views (PairFilterSection) answers as the filter of
// each message does, wherever the section's bytes sit in memory (aligned view or copy).
describe('pair-filter section', () => {
  const texts = ['le second tour de la présidentielle', 'un tour de France', 'second avis, tour suivant', 'rien à voir ici'];
  const ids = [3, 8, 21, 40];
  const filters = texts.map((t) => buildPairFilter(pairHashes(t)));
  const offsets = [0];
  for (const f of filters) offsets.push(offsets.at(-1)! + f.length);
  const u32 = (xs: number[]) => {
    const b = Buffer.alloc(xs.length * 4);
    xs.forEach((x, i) => b.writeUInt32LE(x, i * 4));
    return b;
  };
  const blob = Buffer.concat(filters);
  // The same bytes at an odd offset inside a larger buffer: the typed view must not be used there.
  const unaligned = (b: Buffer) => Buffer.concat([Buffer.alloc(1), b]).subarray(1);

  for (const [name, wrap] of [['aligned', (b: Buffer) => b], ['unaligned', unaligned]] as const) {
    test(`answers as each message's filter (${name})`, () => {
      const section = new PairFilterSection(wrap(u32(ids)), wrap(u32(offsets)), wrap(blob));
      for (const phrase of ['second tour', 'tour de', 'de france', 'voir ici', 'absent pair']) {
        const hashes = pairHashes(phrase);
        ids.forEach((id, i) => assert.equal(section.mayContain(id, hashes), filterMayContain(filters[i]!, hashes), `${phrase} in message ${id}`));
        assert.equal(section.mayContain(5, hashes), true, 'a message without a filter here may contain anything');
      }
      assert.equal(section.mayContain(3, pairHashes('second tour')), true);
      assert.equal(section.mayContain(8, pairHashes('second tour')), false, 'message 8 has no "second tour" (a false positive is possible in general, not with these few bits set)');
    });
  }
});
