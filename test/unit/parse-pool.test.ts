import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { ParsePool } from '../../electron/engine/parse/parse-pool';
import { tempDir } from '../helpers/temp';

describe('parse worker pool', () => {
  const dir = tempDir('casefile-pool-');
  const good = path.join(dir, 'good.eml');
  writeFileSync(good, 'From: A <a@example.org>\nSubject: hello\nMessage-ID: <1@x>\n\nbody\n');
  // Timeouts run from a worker's "ready" message, so its start (slow on a busy machine) is not counted.
  const pool = new ParsePool(2, 3000);
  after(() => pool.close());

  test('parses spans read from the evidence file', async () => {
    const [out] = await pool.parse([{ path: good, offset: 0, length: 60, quotedFrom: false }]);
    assert.ok(out && 'record' in out, JSON.stringify(out));
    assert.equal(out.record.subject, 'hello');
    assert.equal(out.record.messageId, '1@x');
  });

  test('a message that hangs its worker is reported as a timeout; the rest of the batch still parses', async () => {
    // Opening a FIFO with no writer blocks forever: a real hang, not a simulated one.
    const fifo = path.join(dir, 'hang.fifo');
    execFileSync('mkfifo', [fifo]);
    // Afterwards, release the abandoned thread (a blocked syscall outlives worker.terminate()) so the
    // test process can exit.
    after(() => closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK)));
    const results = await pool.parse([
      { path: good, offset: 0, length: 60, quotedFrom: false },
      { path: fifo, offset: 0, length: 10, quotedFrom: false },
      { path: good, offset: 0, length: 60, quotedFrom: false },
    ]);
    assert.ok('record' in results[0]!);
    assert.ok('failure' in results[1]! && results[1].code === 'parse-timeout', JSON.stringify(results[1]));
    assert.ok('record' in results[2]!, 'the batch continues on a fresh worker');
    // The pool is still usable afterwards.
    const [again] = await pool.parse([{ path: good, offset: 0, length: 60, quotedFrom: false }]);
    assert.ok('record' in again!);
  });

  test('an unreadable source is reported per message, not thrown', async () => {
    const [out] = await pool.parse([{ path: path.join(dir, 'missing.eml'), offset: 0, length: 10, quotedFrom: false }]);
    assert.ok(out && 'failure' in out);
    assert.match(out.failure, /ENOENT/);
  });
});
