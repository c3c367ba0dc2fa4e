// What the index worker does per message (inflate, analysis, shard build and encoding, phrase-pair filters),
// timed on the docs of an existing case, in one thread: the A/B harness for index-side CPU (issue 15).
// Usage: node --import tsx test/bench/index-cpu-child.ts <case dir> [--docs N] [--shard 10000]
import Database from 'better-sqlite3';
import path from 'node:path';
import { docsAfter, inflateDoc, type WireDoc } from '../../electron/engine/search/index-doc';
import { encodeShardSource } from '../../electron/engine/search/binary-shard';
import { buildPairFilter, pairHashes } from '../../electron/engine/search/phrase-pairs';
import { ShardBuilder } from '../../electron/engine/search/shard-builder';

const caseDir = process.argv[2]!;
const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const maxDocs = arg('--docs', 20_000);
const shardSize = arg('--shard', 10_000);
const db = new Database(path.join(caseDir, 'case.sqlite'), { readonly: true });
const wire: WireDoc[] = [];
for (const page of docsAfter(db, 0)) {
  wire.push(...page);
  if (wire.length >= maxDocs) break;
}
wire.length = Math.min(wire.length, maxDocs);
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
// Each step over all docs in turn, so CPU time is read once per step (process.cpuUsage is a system call).
const t: Record<string, number> = {};
const step = <T>(name: string, run: () => T): T => {
  const c = cpu();
  const out = run();
  t[name] = Math.round(cpu() - c);
  return out;
};
const docs = step('inflate', () => wire.map(inflateDoc));
const filters = step('pairs', () => docs.map((doc) => (doc.truncated || doc.attachment ? new Uint8Array(0) : buildPairFilter(pairHashes(`${doc.subject}\n${doc.body}`)))));
const filterOf = new Map(filters.map((f, i) => [docs[i]!.id, f]));
// A shard is built and encoded as soon as it fills (its builder's arrays go to the next one, as in the
// index worker); the time of those builds is counted apart from the adds, reading the CPU once per shard.
let bytes = 0;
let builder = new ShardBuilder();
t.build = 0;
const encode = () => {
  const c = cpu();
  bytes += encodeShardSource(builder.build(), filterOf, { caseId: 'x', seq: 1, firstId: 1, lastId: 2, docs: builder.docCount }).length;
  t.build! += cpu() - c;
};
step('add', () => {
  for (const doc of docs) {
    if (builder.docCount >= shardSize || builder.full) {
      encode();
      builder = new ShardBuilder(builder);
    }
    const { truncated, ...fields } = doc;
    builder.add(fields);
  }
});
t.add! -= t.build;
encode();
t.build = Math.round(t.build);
t.add = Math.round(t.add!);
console.log(JSON.stringify({ docs: docs.length, totalMs: Object.values(t).reduce((a, b) => a + b, 0), ...Object.fromEntries(Object.entries(t).map(([k, v]) => [k + 'Ms', v])), bytes }));
