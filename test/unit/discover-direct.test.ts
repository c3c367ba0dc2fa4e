import assert from 'node:assert/strict';
import { closeSync, mkdirSync, openSync, readdirSync, readSync, realpathSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { discoverSources, kindFromHead } from '../../electron/engine/source/discover';
import { corpus, needsCorpora } from '../helpers/corpora';
import { tempDir } from '../helpers/temp';

// Issue 15: discovery examines the files a folder listing calls regular with direct open/fstat/read
// (no lstat, realpath or promise per file) and registration records the size and mtime it saw. The
// outcome must be what the general path gives: computed here independently with plain fs calls.

function head(p: string, size: number): Buffer {
  const fd = openSync(p, 'r');
  try {
    const buf = Buffer.alloc(4096);
    return buf.subarray(0, size === 0 ? 0 : readSync(fd, buf, 0, 4096, 0));
  } finally {
    closeSync(fd);
  }
}

/** Every regular file under `root` (through folder links once), with what discovery should say of it. */
function expected(root: string): Map<string, { kind: string; size: number; mtimeMs: number }> {
  const out = new Map<string, { kind: string; size: number; mtimeMs: number }>();
  const seen = new Set<string>();
  const walk = (dir: string) => {
    const real = realpathSync(dir);
    if (seen.has(real)) return;
    seen.add(real);
    for (const name of readdirSync(dir).sort()) {
      const p = path.join(dir, name);
      let st;
      try {
        st = statSync(p);
      } catch {
        continue; // dangling links are the odd-entries test's business
      }
      if (st.isDirectory()) walk(p);
      else if (st.isFile()) {
        const kind = kindFromHead(realpathSync(p), head(p, st.size), st.size, false);
        if (typeof kind === 'string') out.set(realpathSync(p), { kind, size: st.size, mtimeMs: st.mtimeMs });
      }
    }
  };
  walk(root);
  return out;
}

async function assertDiscoveryMatches(input: string): Promise<number> {
  const { sources } = await discoverSources([input]);
  const want = expected(input);
  const got = new Map(sources.map((s) => [s.path, { kind: s.kind as string, size: s.stamp.size, mtimeMs: s.stamp.mtimeMs }]));
  assert.equal(got.size, sources.length, 'no file twice');
  assert.deepEqual(got, want);
  return sources.length;
}

test('discovery through a linked folder, linked files, empty and non-mail files: real paths, kinds, sizes, mtimes', async () => {
  const root = tempDir('casefile-discover-');
  const maildir = path.join(root, 'store', 'Maildir');
  for (const sub of ['cur', 'new', 'tmp']) mkdirSync(path.join(maildir, sub), { recursive: true });
  const mail = (n: number) => `Return-Path: <a@example.org>\nFrom: a@example.org\nSubject: m${n}\n\nbody ${'x'.repeat(n * 700)}\n`;
  for (let i = 0; i < 40; i++) writeFileSync(path.join(maildir, i % 3 ? 'cur' : 'new', `1700000000.${i}.host:2,S`), mail(i));
  writeFileSync(path.join(maildir, 'cur', 'empty'), '');
  writeFileSync(path.join(maildir, 'cur', 'notes.txt'), 'not mail at all\n');
  writeFileSync(path.join(root, 'elsewhere.eml'), mail(99));
  symlinkSync(path.join(root, 'elsewhere.eml'), path.join(maildir, 'cur', 'linked:2,S'));
  symlinkSync(path.join(maildir, 'cur', '1700000000.1.host:2,S'), path.join(maildir, 'new', 'same-file-again'));
  symlinkSync(path.join(root, 'store'), path.join(root, 'via-link'));
  const n = await assertDiscoveryMatches(path.join(root, 'via-link', 'Maildir'));
  assert.equal(n, 41, '40 messages and the linked file outside; the second link to a file already taken adds nothing');
  const { sources } = await discoverSources([path.join(root, 'via-link', 'Maildir')]);
  assert.ok(sources.every((s) => s.path.startsWith(realpathSync(root)) && !s.path.includes('via-link')), 'paths are real paths');
});

test('discovery of a real Maildir-like corpus (notmuch test corpora) matches plain fs calls', needsCorpora, async () => {
  const n = await assertDiscoveryMatches(corpus('notmuch-corpora', 'test', 'corpora'));
  assert.ok(n > 50, `${n} mail files found`);
});
