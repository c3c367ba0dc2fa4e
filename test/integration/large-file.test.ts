import assert from 'node:assert/strict';
import { closeSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { splitMbox } from '../../electron/engine/source/mbox-splitter';
import { PositionalReader } from '../../electron/engine/source/positional-reader';
import { generateMessage, Rng, toMboxEntry } from '../fixtures/archive-generator';
import { tempDir } from '../helpers/temp';

const GiB = 1024 ** 3;

describe('a file larger than 2 GiB', () => {
  test('is split in bounded memory, every message found, offsets past 2^31 exact', { timeout: 600_000 }, async () => {
    const dir = tempDir('casefile-big-');
    const file = path.join(dir, 'big.mbox');
    // One block of varied real-looking messages, written until the file passes 2 GiB.
    const rng = new Rng(99);
    let block = '';
    let perBlock = 0;
    while (block.length < 4 * 1024 * 1024) {
      block += toMboxEntry(generateMessage(rng, perBlock, null).text);
      perBlock++;
    }
    const bytes = Buffer.from(block, 'latin1');
    const blocks = Math.ceil((2 * GiB + 1) / bytes.length);
    const fd = openSync(file, 'w');
    for (let i = 0; i < blocks; i++) writeSync(fd, bytes);
    closeSync(fd);

    const reader = await PositionalReader.open(file);
    assert.ok(reader.size > 2 * GiB);
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    let count = 0;
    let last = { offset: 0, length: 0 };
    for await (const e of splitMbox(reader, 0)) {
      count++;
      last = e;
      if (count % 5000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    }
    await reader.close();
    assert.equal(count, perBlock * blocks);
    // The last message ends exactly where the file ends (minus the mbox's final empty line).
    assert.equal(last.offset + last.length, reader.size - 1);
    assert.ok(peak - rssBefore < 256 * 1024 * 1024, `memory grew by ${((peak - rssBefore) / 1048576).toFixed(0)} MiB while splitting 2 GiB`);
  });
});
