import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { discoverSources } from '../../electron/engine/source/discover';
import { splitMbox, type MboxEntry } from '../../electron/engine/source/mbox-splitter';
import { PositionalReader } from '../../electron/engine/source/positional-reader';
import { generateMboxDialect, type MboxDialect } from '../fixtures/mbox-dialects';
import { CORPORA, corpus, HAVE_CORPORA, needsCorpora } from '../helpers/corpora';
import { tempDir } from '../helpers/temp';

const dir = tempDir('casefile-cover-');

async function entriesOf(file: string, chunkSize?: number): Promise<MboxEntry[]> {
  const reader = await PositionalReader.open(file, chunkSize);
  const entries: MboxEntry[] = [];
  try {
    for await (const e of splitMbox(reader, 0)) entries.push(e);
  } finally {
    await reader.close();
  }
  return entries;
}

const EOL = /^(\r\n|\n|\r)$/;

/**
 * Every byte of the file belongs to exactly one listed message, or is mbox format that the entry records:
 * a leading BOM, the message's From_ line (stored as its envelope) with its line end, and at most one
 * separating empty line. Entries are contiguous, in order, and end at EOF.
 */
function assertTiles(bytes: Buffer, entries: MboxEntry[], label: string): void {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let pos = bom;
  for (const [i, e] of entries.entries()) {
    const at = `${label}: entry ${i} at byte ${e.envelopeOffset}`;
    assert.equal(e.envelopeOffset, pos, `${at}: gap or overlap before it`);
    if (e.envelope === null) {
      assert.equal(i, 0, `${at}: only bytes before the first From_ line lack an envelope`);
      assert.equal(e.offset, e.envelopeOffset, at);
    } else {
      const line = bytes.toString('latin1', e.envelopeOffset, e.offset);
      assert.ok(line.startsWith(e.envelope), `${at}: envelope bytes`);
      const rest = line.slice(e.envelope.length);
      assert.ok(EOL.test(rest) || (rest === '' && e.offset === bytes.length), `${at}: envelope line end ${JSON.stringify(rest)}`);
    }
    assert.ok(e.length >= 0 && e.offset + e.length <= e.next, `${at}: message inside its entry`);
    const separator = bytes.toString('latin1', e.offset + e.length, e.next);
    assert.ok(separator === '' || EOL.test(separator), `${at}: only one empty line between messages, got ${JSON.stringify(separator.slice(0, 40))}`);
    pos = e.next;
  }
  assert.equal(pos, bytes.length, `${label}: the last entry ends at EOF`);
}

describe('every byte of an mbox belongs to exactly one listed message or a reported gap', () => {
  test('every mbox in the corpora', needsCorpora, async () => {
    const { sources } = await discoverSources([CORPORA]);
    const mboxes = sources.filter((s) => s.kind === 'mbox');
    assert.ok(mboxes.length >= 20, `found ${mboxes.length} mboxes`);
    for (const { path: file } of mboxes) {
      const bytes = readFileSync(file);
      assertTiles(bytes, await entriesOf(file), path.relative(CORPORA, file));
      // Boundaries must not depend on where reads are cut.
      assert.deepEqual(await entriesOf(file, 97), await entriesOf(file), file);
    }
  });

  for (const dialect of ['mboxcl2', 'mozilla', 'cr-only', 'mixed-eol'] as MboxDialect[]) {
    test(`generated ${dialect} mbox splits as its writer meant`, async () => {
      const gen = generateMboxDialect(dialect);
      const file = path.join(dir, `${dialect}.mbox`);
      writeFileSync(file, gen.bytes);
      const entries = await entriesOf(file);
      assertTiles(gen.bytes, entries, dialect);
      assert.equal(entries.length, gen.messages.length);
      entries.forEach((e, i) => assert.equal(gen.bytes.toString('latin1', e.offset, e.offset + e.length), gen.messages[i]!.toString('latin1'), `${dialect} message ${i}`));
      assert.deepEqual(await entriesOf(file, 61), entries, `${dialect}: small reads`);
    });
  }

  test('MimeKit simple.mbox.txt: three Mozilla messages without empty lines between them', needsCorpora, async () => {
    const file = corpus('mimekit-testdata/UnitTests/TestData/mbox/simple.mbox.txt');
    const bytes = readFileSync(file);
    const entries = await entriesOf(file);
    assertTiles(bytes, entries, 'simple.mbox.txt');
    // MimeKit's TestSimpleMbox parses three messages, each a multipart nested three deep around text/plain.
    assert.equal(entries.length, 3);
    const subjects = entries.map((e) => /^Subject: (.*)$/m.exec(bytes.toString('latin1', e.offset, e.offset + e.length))?.[1]);
    assert.deepEqual(subjects, [
      "this'll probably break a lot of mime parsers",
      "this'll probably break even more mime parsers",
      "if a mime parser can correctly handle this, I'm impressed",
    ]);
    for (const e of entries) assert.match(bytes.toString('latin1', e.offset, e.offset + e.length), /^From: fejj@gnome\.org\n[\s\S]*<-- You are here\.\n$/);
  });

  test('a CR-only message after an LF one is listed, not swallowed by its neighbour', async () => {
    const mbox = 'From a@b.c Sat Jan  3 01:05:34 1996\nSubject: one\n\nbody 1\n\nFrom c@d.e Sat Jan  3 01:06:34 1996\rSubject: two\r\rbody 2\r\rFrom f@g.h Sat Jan  3 01:07:34 1996\nSubject: three\n\nbody 3\n';
    const file = path.join(dir, 'swallow.mbox');
    writeFileSync(file, mbox);
    const entries = await entriesOf(file);
    assertTiles(Buffer.from(mbox), entries, 'swallow');
    assert.deepEqual(entries.map((e) => e.envelope), ['From a@b.c Sat Jan  3 01:05:34 1996', 'From c@d.e Sat Jan  3 01:06:34 1996', 'From f@g.h Sat Jan  3 01:07:34 1996']);
    assert.equal(mbox.slice(entries[1]!.offset, entries[1]!.offset + entries[1]!.length), 'Subject: two\r\rbody 2\r');
  });
});

if (!HAVE_CORPORA) console.log('# mbox coverage: corpora absent, only generated mboxes checked');
