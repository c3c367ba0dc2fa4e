import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_STATE, readAppState, withRecentCase, writeAppState } from '../../electron/main/app-state';
import { tempDir } from '../helpers/temp';

test('desktop app state: recent cases first, unique, at most ten; window bounds; broken files fall back', () => {
  const file = path.join(tempDir('casefile-state-'), 'state.json');
  assert.deepEqual(readAppState(file), DEFAULT_STATE, 'missing file');
  let s = readAppState(file);
  for (let i = 0; i < 12; i++) s = withRecentCase(s, `/cases/c${i}`);
  s = withRecentCase(s, '/cases/c5');
  assert.equal(s.recentCases.length, 10);
  assert.equal(s.recentCases[0], '/cases/c5');
  assert.equal(new Set(s.recentCases).size, 10);
  writeAppState(file, { ...s, window: { x: 10, y: 20, width: 1000, height: 700, maximized: true } });
  assert.deepEqual(readAppState(file).window, { x: 10, y: 20, width: 1000, height: 700, maximized: true });
  writeFileSync(file, '{"recentCases": ["relative/path", 3, "/ok"], "window": {"width": -5}}');
  assert.deepEqual(readAppState(file).recentCases, ['/ok']);
  assert.equal(readAppState(file).window.width, DEFAULT_STATE.window.width);
  writeFileSync(file, 'not json');
  assert.deepEqual(readAppState(file), DEFAULT_STATE);
});
