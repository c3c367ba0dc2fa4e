import { parseMessage } from '../../electron/engine/parse/parse-message';
import { generateMessage, Rng } from '../fixtures/archive-generator';

// CPU per message of parseMessage on generated mail, with the fast MIME path and with mailparser only
// (CASEFILE_FAST_MIME=0), in one thread: `node --import tsx test/bench/parse-cpu.bench.ts [messages]`.
// Each mode parses the same messages twice; the second pass is timed (the first warms the JIT).

const count = Number(process.argv[2] ?? 3000);
const rng = new Rng(2017);
const messages = Array.from({ length: count }, (_, i) => Buffer.from(generateMessage(rng, i, null).text, 'latin1'));
const bytes = messages.reduce((n, m) => n + m.length, 0);

async function run(fast: boolean): Promise<number> {
  process.env.CASEFILE_FAST_MIME = fast ? '1' : '0';
  let cpu = 0;
  for (let pass = 0; pass < 2; pass++) {
    const start = process.cpuUsage();
    for (const m of messages) await parseMessage(m);
    const used = process.cpuUsage(start);
    cpu = (used.user + used.system) / 1000;
  }
  return cpu / count;
}

const mailparserMs = await run(false);
const fastMs = await run(true);
console.log(`${count} generated messages, ${(bytes / 1048576).toFixed(1)} MiB, one thread`);
console.log(`mailparser only: ${mailparserMs.toFixed(3)} ms CPU per message`);
console.log(`fast MIME path:  ${fastMs.toFixed(3)} ms CPU per message (${(mailparserMs / fastMs).toFixed(2)}× less)`);
