import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COMMANDS } from '../../electron/engine/cli/commands';

test('every lazily loaded CLI command exists and its help summary matches its own', async () => {
  for (const [name, entry] of Object.entries(COMMANDS)) {
    const command = await entry.load();
    assert.ok(command && typeof command.run === 'function', name);
    assert.equal(entry.summary, command.summary, name);
  }
});
