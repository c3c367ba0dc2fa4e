import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { TOOL_VERSION } from '../../electron/engine/version';
import { REPO } from '../helpers/corpora';

test('the version written into export manifests is package.json\'s', () => {
  assert.equal(TOOL_VERSION, JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')).version);
});
