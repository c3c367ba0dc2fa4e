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
const builders = step('add', () => {
  const out: ShardBuilder[] = [];
  for (const doc of docs) {
    if (!out.length || out[out.length - 1]!.docCount >= shardSize) out.push(new ShardBuilder(out[out.length - 1]));
    const { truncated, ...fields } = doc;
    out[out.length - 1]!.add(fields);
  }
  return out;
});
const filters = step('pairs', () => docs.map((doc) => (doc.truncated || doc.attachment ? new Uint8Array(0) : buildPairFilter(pairHashes(`${doc.subject}\n${doc.body}`)))));
const bytes = step('build', () => builders.reduce((sum, b) => sum + encodeShardSource(b.build(), new Map(filters.map((f, i) => [docs[i]!.id, f])), { caseId: 'x', seq: 1, firstId: 1, lastId: 2, docs: b.docCount }).length, 0));
console.log(JSON.stringify({ docs: docs.length, totalMs: Object.values(t).reduce((a, b) => a + b, 0), ...Object.fromEntries(Object.entries(t).map(([k, v]) => [k + 'Ms', v])), bytes }));
