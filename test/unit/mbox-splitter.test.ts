import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { classifyFromLine } from '../../electron/engine/source/from-line';
import { splitMbox, type MboxEntry } from '../../electron/engine/source/mbox-splitter';
import { PositionalReader } from '../../electron/engine/source/positional-reader';
import { corpus, needsCorpora } from '../helpers/corpora';
import { tempDir } from '../helpers/temp';

const dir = tempDir('casefile-split-');
let n = 0;

async function split(content: string | Buffer, chunkSize?: number): Promise<{ entries: MboxEntry[]; bodies: string[]; sha: string }> {
  const file = path.join(dir, `m${n++}.mbox`);
  writeFileSync(file, content);
  return splitFile(file, chunkSize);
}

async function splitFile(file: string, chunkSize?: number) {
  const reader = await PositionalReader.open(file, chunkSize);
  const entries: MboxEntry[] = [];
  for await (const e of splitMbox(reader, 0)) entries.push(e);
  const sha = await reader.fileSha256();
  await reader.close();
  const bytes = readFileSync(file);
  return { entries, bodies: entries.map((e) => bytes.toString('latin1', e.offset, e.offset + e.length)), sha };
}

describe('From_ line rule', () => {
  test('envelopes are recognised, body text is not', () => {
    assert.equal(classifyFromLine('From a@b.c  Sat Jan  3 01:05:34 1996'), 'strong');
    assert.equal(classifyFromLine('From - Mon Jan  1 00:00:00 2001'), 'weak');
    assert.equal(classifyFromLine('From -'), 'weak');
    assert.equal(classifyFromLine('From '), 'weak');
    assert.equal(classifyFromLine('From MAILER-DAEMON Fri Jul  8 12:08:34 2011'), 'weak');
    assert.equal(classifyFromLine('From Russia with love'), 'none');
    assert.equal(classifyFromLine('From the desk of the treasurer: see below.'), 'none');
    assert.equal(classifyFromLine('From: someone'), 'none');
  });
});

describe('mbox splitter', () => {
  test('LF mbox: message bytes exclude the From_ line and the separating empty line', async () => {
    const { entries, bodies } = await split('From a@b.c Sat Jan  3 01:05:34 1996\nSubject: one\n\nbody 1\n\nFrom c@d.e Sat Jan  3 01:06:34 1996\nSubject: two\n\nbody 2\n');
    assert.equal(entries.length, 2);
    assert.deepEqual(bodies, ['Subject: one\n\nbody 1\n', 'Subject: two\n\nbody 2\n']);
    assert.equal(entries[0]!.envelope, 'From a@b.c Sat Jan  3 01:05:34 1996');
  });

  test('CRLF mbox', async () => {
    const { bodies } = await split('From a@b.c Sat Jan  3 01:05:34 1996\r\nSubject: one\r\n\r\nbody 1\r\n\r\nFrom c@d.e Sat Jan  3 01:06:34 1996\r\nSubject: two\r\n\r\nbody 2\r\n\r\n');
    assert.deepEqual(bodies, ['Subject: one\r\n\r\nbody 1\r\n', 'Subject: two\r\n\r\nbody 2\r\n']);
  });

  test('UTF-8 BOM before the first line, last message without trailing newline', async () => {
    const { entries, bodies } = await split(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('From x@y Sat Jan  3 01:05:34 1996\nSubject: a\n\nno newline at end')]));
    assert.equal(entries.length, 1);
    assert.equal(entries[0]!.envelopeOffset, 3);
    assert.deepEqual(bodies, ['Subject: a\n\nno newline at end']);
  });

  test('mboxrd: quoted >From lines are flagged for un-quoting, not split', async () => {
    const { entries } = await split('From a@b.c Sat Jan  3 01:05:34 1996\nSubject: q\n\n>From a@b.c Sat Jan  3 01:05:34 1996\n>>From here\n\n');
    assert.equal(entries.length, 1);
    assert.equal(entries[0]!.quotedFrom, true);
  });

  test('unescaped body "From " lines without an envelope shape stay in the body', async () => {
    const { entries, bodies } = await split('From - Mon Jan  1 00:00:00 2001\nSubject: s\n\nMy favourite film:\n\nFrom Russia with love\nYear: 1963\n\nend\n');
    assert.equal(entries.length, 1);
    assert.match(bodies[0]!, /From Russia with love\nYear: 1963/);
  });

  test('mboxcl2: Content-Length is honoured over From lines inside the body', async () => {
    const body = 'line\n\nFrom x@y.z Sat Jan  3 01:05:34 1996\nnot a new message\n';
    const mbox = `From a@b.c Sat Jan  3 01:05:34 1996\nSubject: cl\nContent-Length: ${Buffer.byteLength(body)}\n\n${body}\nFrom c@d.e Sat Jan  3 01:06:34 1996\nSubject: next\n\nb\n`;
    const { entries, bodies } = await split(mbox);
    assert.equal(entries.length, 2);
    assert.ok(bodies[0]!.endsWith(body));
    assert.equal(bodies[1], 'Subject: next\n\nb\n');
  });

  test('a wrong Content-Length is ignored (falls back to From_ lines)', async () => {
    const mbox = 'From a@b.c Sat Jan  3 01:05:34 1996\nContent-Length: 3\n\nhello world\n\nFrom c@d.e Sat Jan  3 01:06:34 1996\nSubject: next\n\nb\n';
    const { entries } = await split(mbox);
    assert.equal(entries.length, 2);
  });

  test('bytes before the first From_ line are kept as a message (nothing lost)', async () => {
    const { entries, bodies } = await split('garbage line\n\nFrom a@b.c Sat Jan  3 01:05:34 1996\nSubject: x\n\ny\n');
    assert.equal(entries.length, 2);
    assert.equal(entries[0]!.envelope, null);
    assert.equal(bodies[0], 'garbage line\n');
  });

  test('results do not depend on the read chunk size (boundaries cross chunks)', async () => {
    let mbox = '';
    for (let i = 0; i < 200; i++) mbox += `From u${i}@x.org Sat Jan  3 01:05:34 1996\nSubject: ${i}\n\n${'text '.repeat(i % 37)}\n>From quoted\n\n`;
    const big = await split(mbox);
    const small = await split(mbox, 64);
    assert.equal(big.entries.length, 200);
    assert.deepEqual(small.entries, big.entries);
  });

  test('whole-file SHA-256 is computed while splitting', async () => {
    const content = 'From a@b.c Sat Jan  3 01:05:34 1996\nSubject: x\n\ny\n';
    const { sha } = await split(content);
    const { createHash } = await import('node:crypto');
    assert.equal(sha, createHash('sha256').update(content).digest('hex'));
  });

  test('MimeKit unmunged.mbox.txt: BOM, "From -" envelopes, "From Russia with love" is body text', needsCorpora, async () => {
    const { entries, bodies } = await splitFile(corpus('mimekit-testdata/UnitTests/TestData/mbox/unmunged.mbox.txt'));
    assert.equal(entries.length, 2);
    assert.equal(entries[0]!.envelopeOffset, 3);
    assert.match(bodies[0]!, /^From: Jeffrey Stedfast[\s\S]*From Russia with love\n\nWhat does Thunderbird do\?\n$/);
    assert.match(bodies[1]!, /From Russia with love\nYear: 1963\n\nWhat did Thunderbird do this time\?\n$/);
  });
});
