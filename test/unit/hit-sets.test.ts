// Set operations on score tables (array against array) must give exactly what the same hits give as Maps.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { intersect, subtract, union } from '../../electron/engine/search/hit-sets';
import { ScoreTable } from '../../electron/engine/search/score-table';

let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

/** Random hits over [first, last], dense or sparse, as a Map and as a table. */
function hits(first: number, last: number, density: number): { map: Map<number, number>; table: ScoreTable } {
  const map = new Map<number, number>();
  const table = new ScoreTable(first, last);
  for (let id = first; id <= last; id++) {
    if (rand() >= density) continue;
    const s = rand() < 0.05 ? 0 : rand() * 10;
    map.set(id, s);
    table.scores[id - first] = s;
    table.seen[id - first] = 1;
  }
  return { map, table };
}

const sorted = (m: ReadonlyMap<number, number> | null) => [...m!].sort((a, b) => a[0] - b[0]);

test('intersect, union and subtract of score tables equal those of Maps, scores bit for bit', () => {
  const shapes: [number, number, number][] = [
    [1, 5000, 0.6],
    [2001, 9000, 0.3],
    [1, 9000, 0.02],
    [7000, 12_000, 0.9],
    [20_000, 21_000, 0.5], // no overlap with the others
  ];
  const sets = shapes.map(([a, b, d]) => hits(a, b, d));
  for (const x of sets) {
    for (const y of sets) {
      const maps = [x.map, y.map];
      assert.deepEqual(sorted(intersect(x.table, y.table)), sorted(intersect(x.map, y.map)), 'intersect');
      assert.deepEqual(sorted(intersect(x.table, y.map)), sorted(intersect(x.map, y.map)), 'intersect, mixed');
      assert.deepEqual(sorted(union([x.table, y.table])), sorted(union(maps)), 'union');
      assert.deepEqual(sorted(union([x.map, y.table, x.table])), sorted(union([x.map, y.map, x.map])), 'union, mixed');
      assert.deepEqual(sorted(subtract(x.table, y.table)), sorted(subtract(x.map, y.map)), 'subtract');
      assert.deepEqual(sorted(subtract(x.table, y.map)), sorted(subtract(x.map, y.map)), 'subtract, mixed');
    }
  }
  // Inputs are never changed (the cached "with attachments" and "every message" tables are operands).
  const before = sorted(sets[0]!.table);
  subtract(sets[0]!.table, sets[1]!.table);
  intersect(sets[0]!.table, sets[1]!.table);
  assert.deepEqual(sorted(sets[0]!.table), before);
  assert.equal(sets[0]!.table.size, sets[0]!.map.size);
});

test('a score table filtered keeps exactly the hits the predicate keeps', () => {
  const { map, table } = hits(1, 3000, 0.5);
  const keep = (id: number) => id % 3 === 0;
  assert.deepEqual(sorted(table.filter(keep)), [...map].filter(([id]) => keep(id)).sort((a, b) => a[0] - b[0]));
});
