import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { isAllowedNavigation, isAllowedRequest, isApiMethod, isTrustedSender, resolveAppAsset } from '../../electron/main/policy';
import { REPO } from '../helpers/corpora';

test('request filter: only the app scheme and inline data load; the network never', () => {
  assert.ok(isAllowedRequest('casefile://app/index.html'));
  assert.ok(isAllowedRequest('data:image/png;base64,AAAA'));
  assert.ok(isAllowedRequest('blob:casefile://app/5b7c1e0a-1111-2222-3333-444455556666'));
  for (const u of ['blob:https://evil.example/x', 'http://evil.example/x.png', 'https://fonts.googleapis.com/css', 'file:///etc/passwd', 'ws://127.0.0.1:9/', 'casefile://other/x', 'ftp://x/']) assert.equal(isAllowedRequest(u), false, u);
});

test('navigation guard: nothing but the app itself', () => {
  assert.ok(isAllowedNavigation('casefile://app/index.html#/message/3'));
  for (const u of ['http://evil.example/', 'javascript:alert(1)', 'file:///', 'casefile://app.evil/']) assert.equal(isAllowedNavigation(u), false, u);
});

test('IPC: only the app’s top frame, only contract methods', () => {
  assert.ok(isTrustedSender('casefile://app/index.html', true));
  assert.equal(isTrustedSender('casefile://app/index.html', false), false, 'subframes are not trusted');
  assert.equal(isTrustedSender('about:srcdoc', true), false);
  assert.equal(isTrustedSender(undefined, true), false);
  assert.ok(isApiMethod('search'));
  for (const m of ['constructor', '__proto__', 'toString', 'eval', 42, null]) assert.equal(isApiMethod(m), false, String(m));
});

test('protocol handler: an allowlist of built files, no traversal', () => {
  const dir = '/opt/casefile/renderer';
  assert.deepEqual(resolveAppAsset('casefile://app/index.html', dir), { file: path.join(dir, 'index.html'), type: 'text/html; charset=utf-8' });
  for (const u of ['casefile://app/../../etc/passwd', 'casefile://app/%2e%2e/%2e%2e/etc/passwd', 'casefile://app/case.sqlite', 'casefile://evil/index.html', 'http://app/index.html', 'not a url']) {
    assert.equal(resolveAppAsset(u, dir), null, u);
  }
});

test('the engine never imports electron; the preload exposes no raw ipcRenderer', () => {
  const grep = (dir: string): string[] =>
    (readdirSync(dir, { recursive: true }) as string[])
      .filter((f: string) => f.endsWith('.ts'))
      .filter((f: string) => /from ['"]electron['"]/.test(readFileSync(path.join(dir, f), 'utf8')));
  assert.deepEqual(grep(path.join(REPO, 'electron/engine')), []);
  const preload = readFileSync(path.join(REPO, 'electron/preload/preload.ts'), 'utf8');
  assert.doesNotMatch(preload, /exposeInMainWorld\([^)]*ipcRenderer\s*[,)]/);
});

test('shell commands are an allowlist; evidence arguments are mail files only', async () => {
  const { isShellCommand, evidenceArgs, isApiEvent } = await import('../../electron/main/policy');
  assert.ok(isApiEvent('ingestProgress') && isApiEvent('exportProgress'));
  assert.equal(isApiEvent('toString'), false);
  for (const c of ['chooseEvidence', 'chooseCase', 'pendingEvidence']) assert.ok(isShellCommand(c), c);
  for (const c of ['openExternal', '__proto__', 'constructor', 42, null]) assert.equal(isShellCommand(c), false, String(c));
  assert.deepEqual(evidenceArgs(['--case=/x', '/evidence/leak.mbox', '/a/b.EML', '/etc/passwd', '--inspect', 'msg.emlx']), ['/evidence/leak.mbox', '/a/b.EML', 'msg.emlx']);
});
