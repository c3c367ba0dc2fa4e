// Child process for the ingest benchmark: the naive baseline — split, then mailparser's simpleParser on
// every message, one after the other on one thread, storing nothing.
import { simpleParser } from 'mailparser';
import { splitMbox } from '../../electron/engine/source/mbox-splitter';
import { PositionalReader } from '../../electron/engine/source/positional-reader';

const [source] = process.argv.slice(2);
const t = process.hrtime.bigint();
const reader = await PositionalReader.open(source!);
let n = 0;
for await (const e of splitMbox(reader, 0)) {
  await simpleParser(await reader.readAt(e.offset, e.length));
  n++;
}
await reader.close();
const seconds = Number(process.hrtime.bigint() - t) / 1e9;
process.stdout.write(JSON.stringify({ seconds, messages: n, maxRssBytes: process.resourceUsage().maxRSS * 1024 }) + '\n');
