import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { ingest } from '../../electron/engine/ingest/ingest';
import { CaseQueries } from '../../electron/engine/store/case-queries';
import { CaseStore } from '../../electron/engine/store/case-store';
import { readOriginalBytes } from '../../electron/engine/store/original-bytes';
import { cli } from '../helpers/cli';
import { corpus, HAVE_CORPORA, needsCorpora } from '../helpers/corpora';
import { tempDir } from '../helpers/temp';

interface Expected {
  messageId: string;
  attachments: { filename: string; size: number; hash: string }[];
}

/** Upstream ponymail expectations: yaml/*.yaml "parsing:" sections (a tiny reader for their fixed layout). */
function ponymailExpectations(): Map<string, Expected[]> {
  const out = new Map<string, Expected[]>();
  const dir = corpus('ponymail-asf-mbox/yaml');
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.yaml'))) {
    const text = readFileSync(path.join(dir, name), 'utf8');
    const section = text.split(/^parsing:\s*$/m)[1];
    if (!section) continue;
    let file: string | null = null;
    let current: Expected | null = null;
    for (const line of section.split('\n')) {
      let m: RegExpExecArray | null;
      if ((m = /^ {2}(corpus\/\S+):\s*$/.exec(line))) {
        // Several yaml files may describe the same mbox (e.g. with and without html2text): last one wins.
        file = m[1]!;
        out.set(file, []);
      } else if ((m = /^ {2}- index: (\d+)/.exec(line)) && file) {
        current = { messageId: '', attachments: [] };
        out.get(file)!.push(current);
      } else if ((m = /^ {4}message-id: (.*)$/.exec(line)) && current) {
        current.messageId = m[1]!.replace(/^'(.*)'$/, '$1').trim();
      } else if ((m = /^ {4}- content_type: /.exec(line)) && current) {
        current.attachments.push({ filename: '', size: -1, hash: '' });
      } else if ((m = /^ {6}(filename|size|hash): (.*)$/.exec(line)) && current) {
        const a = current.attachments[current.attachments.length - 1]!;
        if (m[1] === 'size') a.size = Number(m[2]);
        else if (m[1] === 'hash') a.hash = m[2]!;
        else a.filename = m[2]!;
      }
    }
  }
  for (const [file, list] of out) if (list.length === 0 || !existsSync(corpus('ponymail-asf-mbox', file))) out.delete(file);
  return out;
}

function fileFingerprint(p: string): { sha256: string; mtimeMs: number; size: number } {
  const st = statSync(p);
  return { sha256: createHash('sha256').update(readFileSync(p)).digest('hex'), mtimeMs: st.mtimeMs, size: st.size };
}

describe('ingest of real-world corpora', needsCorpora, () => {
  const caseDir = path.join(tempDir('casefile-ing-'), 'case');
  const dupCase = path.join(tempDir('casefile-dup-'), 'case');
  const nmDupCase = path.join(tempDir('casefile-nmdup-'), 'case');
  const mboxes = HAVE_CORPORA ? readdirSync(corpus('ponymail-asf-mbox/corpus')).map((n) => corpus('ponymail-asf-mbox/corpus', n)) : [];
  const others = [
    corpus('mimekit-testdata/UnitTests/TestData/mbox'),
    corpus('mimekit-testdata/UnitTests/TestData/messages'),
    corpus('mailparser-fixtures'),
    corpus('notmuch-corpora/test/corpora'),
  ];
  const before_: Map<string, ReturnType<typeof fileFingerprint>> = new Map();

  before(async () => {
    if (!HAVE_CORPORA) return;
    for (const m of mboxes) before_.set(m, fileFingerprint(m));
    await ingest({ caseDir, inputs: [...mboxes, ...others] });
  });

  test('message counts and Message-IDs per mbox equal upstream ponymail expectations', () => {
    const expectations = ponymailExpectations();
    assert.ok(expectations.size >= 8, `expected several ponymail files with expectations, got ${expectations.size}`);
    const store = CaseStore.open(caseDir);
    try {
      for (const [file, expected] of expectations) {
        const rows = store.db
          .prepare(
            `SELECT m.id, m.message_id FROM locations l JOIN sources s ON s.id = l.source_id JOIN messages m ON m.id = l.message_id
             WHERE s.path = ? ORDER BY l.offset`,
          )
          .all(corpus('ponymail-asf-mbox', file)) as { id: number; message_id: string | null }[];
        assert.equal(rows.length, expected.length, `${file}: message count`);
        rows.forEach((r, i) => {
          const want = expected[i]!.messageId.replace(/^<|>$/g, '');
          assert.equal(r.message_id ?? '', want, `${file} #${i}: Message-ID`);
        });
        const q = new CaseQueries(store.db);
        rows.forEach((r, i) => {
          const want = expected[i]!.attachments;
          if (want.length === 0) return;
          const got = q.attachments(r.id);
          for (const w of want) {
            const match = got.find((g) => g.filename === w.filename && g.size === w.size);
            assert.ok(match, `${file} #${i}: attachment ${w.filename} (${w.size} bytes) found`);
            assert.equal(match!.sha256, w.hash, `${file} #${i}: attachment ${w.filename} SHA-256`);
          }
        });
      }
    } finally {
      store.close();
    }
  });

  test('the original bytes of every location re-read from the evidence match their offset and SHA-256', async () => {
    const store = CaseStore.open(caseDir);
    const rows = store.db.prepare('SELECT s.path, l.offset, l.length, l.sha256 FROM locations l JOIN sources s ON s.id = l.source_id').all() as any[];
    store.close();
    assert.ok(rows.length > 400, `many locations (${rows.length})`);
    const files = new Map<string, Buffer>();
    for (const r of rows) {
      const bytes = await readOriginalBytes(r);
      if (!files.has(r.path)) files.set(r.path, readFileSync(r.path));
      assert.ok(bytes.equals(files.get(r.path)!.subarray(r.offset, r.offset + r.length)), `${r.path}@${r.offset}`);
      assert.equal(createHash('sha256').update(bytes).digest('hex'), r.sha256);
    }
  });

  test('casefile show --raw writes exactly the bytes at the recorded offset', () => {
    const store = CaseStore.open(caseDir);
    const ids = (store.db.prepare('SELECT id FROM messages ORDER BY random() LIMIT 4').all() as { id: number }[]).map((r) => r.id);
    const q = new CaseQueries(store.db);
    const locs = ids.map((id) => q.message(id)!.source);
    store.close();
    ids.forEach((id, i) => {
      const r = cli(['show', caseDir, String(id), '--raw'], { encoding: 'buffer' });
      assert.equal(r.status, 0, String(r.stderr));
      const loc = locs[i]!;
      assert.ok((r.stdout as Buffer).equals(readFileSync(loc.path).subarray(loc.offset, loc.offset + loc.length)));
      assert.equal(createHash('sha256').update(r.stdout as Buffer).digest('hex'), loc.sha256);
    });
  });

  test('evidence files are unchanged (SHA-256, size, mtime) and their SHA-256 is recorded', () => {
    const store = CaseStore.open(caseDir);
    const recorded = new Map((store.db.prepare('SELECT path, sha256 FROM sources').all() as { path: string; sha256: string }[]).map((r) => [r.path, r.sha256]));
    store.close();
    for (const m of mboxes) {
      const now = fileFingerprint(m);
      assert.deepEqual(now, before_.get(m), m);
      assert.equal(recorded.get(m), now.sha256);
    }
  });

  test('no message of any corpus is lost: every source is done and every message has a location', () => {
    const store = CaseStore.open(caseDir);
    const notDone = store.db.prepare("SELECT path, status FROM sources WHERE status != 'done'").all();
    const orphans = (store.db.prepare('SELECT COUNT(*) n FROM messages m WHERE NOT EXISTS (SELECT 1 FROM locations l WHERE l.message_id = m.id)').get() as any).n;
    store.close();
    assert.deepEqual(notDone, []);
    assert.equal(orphans, 0);
  });

  test('the same 10 messages from 4 archivers collapse to 10 messages with 40 locations', async () => {
    const files = readdirSync(corpus('ponymail-asf-mbox/corpus')).filter((n) => n.startsWith('maven_duplicates_')).map((n) => corpus('ponymail-asf-mbox/corpus', n));
    assert.equal(files.length, 4);
    const summary = await ingest({ caseDir: dupCase, inputs: files });
    assert.equal(summary.messages, 10);
    assert.equal(summary.duplicates, 30);
    const store = CaseStore.open(dupCase);
    const q = new CaseQueries(store.db);
    const first = q.list(1, 0).messages[0]!;
    assert.equal(q.message(first.id)!.locations.length, 4);
    store.close();
  });

  test('notmuch duplicate corpus: same Message-ID with the same body merges; different bodies stay apart, linked', async () => {
    const summary = await ingest({ caseDir: nmDupCase, inputs: [corpus('notmuch-corpora/test/corpora/duplicate')] });
    const files = readdirSync(corpus('notmuch-corpora/test/corpora/duplicate')).length;
    assert.equal(summary.messages + summary.duplicates, files);
    const store = CaseStore.open(nmDupCase);
    const q = new CaseQueries(store.db);
    const distinctIds = (store.db.prepare('SELECT COUNT(DISTINCT message_id) n FROM messages').get() as any).n;
    assert.equal(distinctIds, 3);
    // msg-1-1 and msg-1-2 differ only by trailing blank lines: one message, two locations.
    const m1 = store.db.prepare("SELECT id FROM messages WHERE message_id LIKE 'debian/2.6.1%'").all() as { id: number }[];
    assert.equal(m1.length, 1);
    assert.equal(q.message(m1[0]!.id)!.locations.length, 2);
    // Variants of <87r2ecrr6x...> with different list footers are kept, each pointing at the others.
    const variants = store.db.prepare("SELECT id FROM messages WHERE message_id = '87r2ecrr6x.fsf@zephyr.silentflame.com'").all() as { id: number }[];
    assert.ok(variants.length >= 2);
    assert.deepEqual(q.message(variants[0]!.id)!.sameMessageId, variants.slice(1).map((v) => v.id));
    store.close();
  });
});
