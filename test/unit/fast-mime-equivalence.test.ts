import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { forgetLocalExtractions } from '../../electron/engine/documents/attachment-extract';
import { parseMessage, parseMessageFast, parseMessageWithMailparser } from '../../electron/engine/parse/parse-message';
import { generateMessage, Rng } from '../fixtures/archive-generator';
import { longHeader, manyAttachments } from '../fixtures/unparseable';
import { corpus, needsCorpora } from '../helpers/corpora';

// The fast MIME path (parse/fast-mime/) must give mailparser's record, field for field, for every message
// it accepts: run both on every message of every mail corpus and on generated mail, compare deeply.

const MAIL_CORPORA = ['ponymail-asf-mbox', 'notmuch-corpora', 'mimekit-testdata', 'mailauth-dkim', 'mailparser-fixtures', 'tika-documents'];
const NOT_MAIL = /\.(?:pdf|zip|7z|rar|tar|tgz|gz|docx?|xlsx?|pptx?|odt|rtf|jpe?g|tif|png|pst|yaml|yml|md|pem|key|pub|tinydns|json)$/i;

/** Every message in the mail corpora: files as they are, mboxes split at From_ lines, ARC test messages. */
function corpusMessages(): { name: string; bytes: Buffer }[] {
  const out: { name: string; bytes: Buffer }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const file = path.join(dir, entry);
      const st = statSync(file);
      if (st.isDirectory()) walk(file);
      else if (file.endsWith('arc-draft-validation-tests.json')) {
        for (const suite of JSON.parse(readFileSync(file, 'utf8'))) {
          for (const [name, t] of Object.entries<any>(suite.tests)) out.push({ name: `${file}#${name}`, bytes: Buffer.from(t.message, 'latin1') });
        }
      } else if (!NOT_MAIL.test(file) && st.size < 16 * 1024 * 1024 && !(file.includes('tika-documents') && !file.endsWith('.eml'))) {
        const bytes = readFileSync(file);
        const text = bytes.toString('latin1');
        if (/^(?:\uFEFF|ï»¿)?From /.test(text)) {
          // Split before each From_ line and drop it: the parser sees what parse-span gives it.
          const starts = [...text.matchAll(/^From /gm)].map((m) => m.index!);
          starts.forEach((s, i) => {
            const lineEnd = text.indexOf('\n', s) + 1;
            out.push({ name: `${file}#${i}`, bytes: bytes.subarray(lineEnd, starts[i + 1] ?? bytes.length) });
          });
        } else out.push({ name: file, bytes });
      }
    }
  };
  for (const c of MAIL_CORPORA) walk(corpus(c));
  return out;
}

/** The generated archive's messages (ISO-8859-1/Windows-1252/8-bit, QP, base64 attachments, disguised types). */
function generatedMessages(count: number): { name: string; bytes: Buffer }[] {
  const rng = new Rng(7);
  const out: { name: string; bytes: Buffer }[] = [];
  const refs: string[] = [];
  for (let i = 0; i < count; i++) {
    const thread = refs.length > 0 && rng.next() < 0.3 ? { id: refs[0]!, refs: refs.slice(-3), subject: 'Budget' } : null;
    const msg = generateMessage(rng, i, thread, 'full');
    refs.push(msg.messageId);
    let bytes = Buffer.from(msg.text, 'latin1');
    // Every fourth message with CRLF line ends, as in a Maildir written on Windows.
    if (i % 4 === 3) bytes = Buffer.from(msg.text.replace(/\n/g, '\r\n'), 'latin1');
    out.push({ name: `generated #${i}`, bytes });
  }
  return out;
}

async function compare(messages: { name: string; bytes: Buffer }[]): Promise<{ accepted: number; rejected: { name: string; bytes: Buffer }[] }> {
  let accepted = 0;
  const rejected: { name: string; bytes: Buffer }[] = [];
  for (const m of messages) {
    const fast = await parseMessageFast(m.bytes);
    if (!fast) {
      rejected.push(m);
      continue;
    }
    accepted++;
    assert.deepStrictEqual(fast, await parseMessageWithMailparser(m.bytes), `fast path differs from mailparser on ${m.name}`);
  }
  return { accepted, rejected };
}

test('fast MIME path: identical records to mailparser on every message of every mail corpus', needsCorpora, async () => {
  const messages = corpusMessages();
  assert.ok(messages.length > 900, `only ${messages.length} corpus messages found`);
  const { accepted, rejected } = await compare(messages);
  console.log(`# corpora: ${accepted} of ${messages.length} messages on the fast path (${((100 * accepted) / messages.length).toFixed(1)} %), all identical to mailparser`);
  // What it rejects goes through mailparser, unchanged.
  for (const m of rejected.slice(0, 20)) assert.deepStrictEqual(await parseMessage(m.bytes), await parseMessageWithMailparser(m.bytes), m.name);
});

test('fast MIME path: identical on 1,000 generated messages, most of which it takes', async () => {
  const messages = generatedMessages(1_000);
  const { accepted } = await compare(messages);
  const share = accepted / messages.length;
  console.log(`# generated: ${accepted} of ${messages.length} on the fast path (${(100 * share).toFixed(1)} %)`);
  assert.ok(share >= 0.95, `only ${(100 * share).toFixed(1)} % of generated mail on the fast path`);
});

test('fast MIME path: with extraction on, the same documents from the same attachment bytes', async () => {
  const withAttachments = generatedMessages(200).filter((m) => m.bytes.includes('multipart/mixed')).slice(0, 6);
  assert.ok(withAttachments.length >= 5);
  for (const m of withAttachments) {
    const fast = await parseMessageFast(m.bytes, m.bytes, { extract: true });
    assert.ok(fast, m.name);
    // The local extraction service skips an attachment it has extracted already.
    forgetLocalExtractions();
    const ref = await parseMessageWithMailparser(m.bytes, m.bytes, { extract: true });
    forgetLocalExtractions();
    const bySha = (docs: any[] = []) => [...docs].sort((a, b) => (a.sha256 < b.sha256 ? -1 : a.sha256 > b.sha256 ? 1 : 0));
    assert.deepStrictEqual(bySha(fast.documents), bySha(ref.documents), m.name);
    assert.deepStrictEqual({ ...fast, documents: [] }, { ...ref, documents: [] }, m.name);
  }
});

test('fast MIME path: the comparison catches a one-byte difference', async () => {
  const [m] = generatedMessages(40).filter((x) => x.bytes.includes('multipart/mixed'));
  const ref = await parseMessageWithMailparser(m!.bytes);
  // One byte of the base64 attachment changed ('A' <-> 'B'), one byte of the text part changed.
  for (const marker of ['base64\n\n', 'quoted-printable\n\n']) {
    const at = m!.bytes.indexOf(marker) + marker.length + 5;
    const altered = Buffer.from(m!.bytes);
    altered[at] = altered[at] === 0x41 ? 0x42 : 0x41;
    const fast = await parseMessageFast(altered);
    assert.ok(fast, 'the altered message is still on the fast path');
    assert.throws(() => assert.deepStrictEqual(fast, ref), `a one-byte change after "${marker.trim()}" went unnoticed`);
  }
});

test('fast MIME path: bad input falls back to mailparser (too many parts, huge header, truncated, no body)', async () => {
  const full = generatedMessages(40).find((x) => x.bytes.includes('multipart/mixed'))!.bytes;
  const cases = [Buffer.from(manyAttachments(1_200)), Buffer.from(longHeader(50_000)), full.subarray(0, Math.floor(full.length / 2)), Buffer.from('From: a@b.example\nSubject: no body'), Buffer.alloc(0)];
  for (const bytes of cases) {
    assert.equal(await parseMessageFast(bytes), null);
    assert.deepStrictEqual(await parseMessage(bytes), await parseMessageWithMailparser(bytes));
  }
});

test('CASEFILE_FAST_MIME=0 turns the fast path off', async () => {
  const [m] = generatedMessages(1);
  const saved = process.env.CASEFILE_FAST_MIME;
  process.env.CASEFILE_FAST_MIME = '0';
  try {
    const { fastMimeEnabled } = await import('../../electron/engine/parse/fast-mime/fast-parse');
    assert.equal(fastMimeEnabled(), false);
    assert.deepStrictEqual(await parseMessage(m!.bytes), await parseMessageWithMailparser(m!.bytes));
  } finally {
    if (saved === undefined) delete process.env.CASEFILE_FAST_MIME;
    else process.env.CASEFILE_FAST_MIME = saved;
  }
});

// FAST_MIME_FUZZ=<count> FAST_MIME_SEED=<n> runs a longer search (done by hand while developing).
const FUZZ = Number(process.env.FAST_MIME_FUZZ ?? 800);
const FUZZ_SEED = Number(process.env.FAST_MIME_SEED ?? 15);

test(`fast MIME path: identical on ${FUZZ} mutated messages (lines dropped, doubled or cut, bytes changed, truncated)`, needsCorpora, async () => {
  const rng = new Rng(FUZZ_SEED);
  const sources = [...generatedMessages(150), ...corpusMessages().filter((m) => m.bytes.length < 200_000)];
  const mutated: { name: string; bytes: Buffer }[] = [];
  for (let i = 0; i < FUZZ; i++) {
    const src = sources[rng.int(sources.length)]!;
    const lines = src.bytes.toString('latin1').split(/(?<=\n)/);
    const steps: string[] = [];
    for (let k = 1 + rng.int(3); k > 0; k--) {
      const at = rng.int(lines.length);
      const kind = rng.int(7);
      steps.push(`${kind}@${at}`);
      if (kind === 0) lines.splice(at, 1);
      else if (kind === 1) lines.splice(at, 0, lines[at] ?? '');
      else if (kind === 2) lines.splice(at, 0, rng.pick(['\n', '\r\n', ' \n', '--\n']));
      else if (kind === 3) lines[at] = (lines[at] ?? '').replace(/\r?\n$/, '');
      else if (kind === 4) lines.length = at;
      else if (kind === 5) lines[at] = (lines[at] ?? '').replace(/\r?\n$/, (m) => rng.pick([' ', '--', '\r', '=', '\t']) + m);
      else lines[at] = (lines[at] ?? '').replace(/[\s\S]/, String.fromCharCode(rng.int(256)));
    }
    mutated.push({ name: `${src.name} mutated ${steps.join(' ')}`, bytes: Buffer.from(lines.join(''), 'latin1') });
  }
  const { accepted } = await compare(mutated);
  console.log(`# mutated: ${accepted} of ${mutated.length} on the fast path, all identical to mailparser`);
});
