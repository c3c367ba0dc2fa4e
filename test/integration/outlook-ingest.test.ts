import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { messageBody } from '../../electron/engine/api/message-body';
import { ingest } from '../../electron/engine/ingest/ingest';
import { CaseQueries } from '../../electron/engine/store/case-queries';
import { CaseStore } from '../../electron/engine/store/case-store';
import { readOriginalBytes } from '../../electron/engine/store/original-bytes';
import type { MessageJson } from '../../shared/types';
import { cli } from '../helpers/cli';
import { corpus, HAVE_CORPORA, needsCorpora } from '../helpers/corpora';
import { tempDir } from '../helpers/temp';

const files = HAVE_CORPORA ? ['testPST.pst', 'testPST_variousBodyTypes.pst', 'testMSG.msg', 'test-outlook.msg'].map((f) => corpus('tika-documents', f)) : [];

function fingerprint(p: string) {
  const st = statSync(p);
  return { sha256: createHash('sha256').update(readFileSync(p)).digest('hex'), size: st.size, mtimeMs: st.mtimeMs };
}

/** Expectations from Apache Tika's OutlookPSTParserTest and OutlookParserTest for the same files. */
describe('Outlook PST/OST and .msg become messages', needsCorpora, () => {
  const caseDir = path.join(tempDir('casefile-outlook-'), 'case');
  const before_ = new Map<string, ReturnType<typeof fingerprint>>();
  const bySource = new Map<string, MessageJson[]>();
  let summary: Awaited<ReturnType<typeof ingest>>;

  before(async () => {
    if (!HAVE_CORPORA) return;
    for (const f of files) before_.set(f, fingerprint(f));
    summary = await ingest({ caseDir, inputs: files, index: false });
    const store = CaseStore.open(caseDir);
    try {
      const q = new CaseQueries(store.db);
      const rows = store.db.prepare('SELECT s.path, l.message_id AS id FROM locations l JOIN sources s ON s.id = l.source_id ORDER BY s.path, l.id').all() as { path: string; id: number }[];
      for (const r of rows) bySource.set(r.path, [...(bySource.get(r.path) ?? []), q.message(r.id)!]);
    } finally {
      store.close();
    }
  });

  test('testPST.pst: 7 mail items with senders, recipients, dates, Message-IDs and bodies', () => {
    const msgs = bySource.get(files[0]!)!;
    // Tika lists 10 documents: the PST, its 7 mail items, an embedded .msg and its .docx attachment.
    assert.equal(msgs.length, 7);
    const fg = msgs.find((m) => m.subject === 'Re: Feature Generators')!;
    assert.equal(fg.from[0]?.name, 'Jörn Kottmann');
    assert.equal(fg.from[0]?.address, 'kottmann@gmail.com');
    assert.deepEqual(fg.to.map((a) => a.address), ['users@opennlp.apache.org']);
    assert.deepEqual(fg.cc, []);
    assert.equal(fg.messageId, '530D9CAC.5080901@gmail.com');
    assert.match(fg.date!, /^2014-02-26/);
    assert.ok(msgs.some((m) => m.messageId === '1393363252.28814.YahooMailNeo@web140906.mail.bf1.yahoo.com'));
    const couch = msgs.find((m) => m.from[0]?.name === 'Couchbase')!;
    assert.equal(couch.from[0]?.address, 'couchbase@couchbase.com');
    // Tika reports the MAPI display name "Hong-Thai Nguyen"; the transport headers Casefile keeps say
    // "To: <hong-thai.nguyen@polyspot.com>" (the SMTP address of that Exchange recipient).
    assert.equal(couch.to[0]?.address, 'hong-thai.nguyen@polyspot.com');
    // The forwarded item carries the embedded "First email" message (Tika: "/ First email.msg/…"), which itself
    // holds attachment.docx.
    const fw = msgs.find((m) => m.subject === 'FW: First email')!;
    assert.equal(fw.errors.length, 0, JSON.stringify(fw.errors));
    assert.ok(fw.attachments.some((a) => a.filename === 'First email.msg' && a.contentType === 'message/rfc822'), JSON.stringify(fw.attachments));
    // Provenance: the PST, the item's node id, a statement of what the bytes are.
    assert.equal(fg.source.path, files[0]);
    assert.ok(fg.source.offset > 0);
    assert.match(fg.source.derivation ?? '', /Outlook PST\/OST item \d+, re-encoded as \.eml/);
  });

  test('bodies: plain text searchable, HTML kept, transport headers kept', async () => {
    const store = CaseStore.open(caseDir);
    try {
      const q = new CaseQueries(store.db);
      const jira = bySource.get(files[0]!)!.find((m) => /TIKA-1250/.test(m.subject ?? ''))!;
      assert.match((await messageBody(q, jira.id))!.text, /Gary Murphy commented on TIKA-1250:/);
      const couch = bySource.get(files[0]!)!.find((m) => m.from[0]?.name === 'Couchbase')!;
      assert.ok((await messageBody(q, couch.id))!.html);
      const raw = (await readOriginalBytes(couch.source)).toString('utf8');
      assert.match(raw, /^Received: /m);
      assert.match(raw, /^X-Casefile-Derived: .*casefile-outlook-eml\/1; pst item \d+ in folder/m);
      const fw = bySource.get(files[0]!)!.find((m) => m.subject === 'FW: First email')!;
      const fwRaw = (await readOriginalBytes(fw.source)).toString('utf8');
      assert.match(fwRaw, /Content-Type: message\/rfc822[\s\S]*Subject: First email[\s\S]*filename="attachment\.docx"/);
    } finally {
      store.close();
    }
  });

  test('testPST_variousBodyTypes.pst: 4 items (plain, HTML, RTF and plain bodies)', async () => {
    const msgs = bySource.get(files[1]!)!;
    assert.equal(msgs.length, 4);
    assert.deepEqual(msgs.map((m) => m.subject).sort(), ['FW: original email', 'FW: original email', 'FW: original email', 'original email']);
    for (const m of msgs) assert.equal(m.from[0]?.address, 'tallison@mitre.org');
    // A search folder whose children cannot be read is reported, the readable items still come.
    assert.ok(summary.warnings!.some((s) => s.includes('testPST_variousBodyTypes.pst') && s.includes('SPAM Search Folder 2')));
  });

  test('testMSG.msg: sender, recipient, transport headers (Received, X-OriginalArrivalTime) kept', async () => {
    const [m] = bySource.get(files[2]!)!;
    assert.equal(m!.subject, 'MIME registry use cases');
    assert.equal(m!.from[0]?.name, 'Jukka Zitting');
    assert.equal(m!.from[0]?.address, 'jukka.zitting@gmail.com');
    assert.deepEqual(m!.to.map((a) => a.address), ['tika-dev@lucene.apache.org']);
    const raw = (await readOriginalBytes(m!.source)).toString('utf8');
    assert.match(raw, /^X-OriginalArrivalTime: 29 Jan 2009 19:17:10\.0163 \(UTC\) FILETIME=\[2ED25E30:01C98246\]/m);
    assert.match(raw, /^Received: from athena\.apache\.org \(HELO athena\.apache\.org\) \(140\.211\.11\.136\)\r\n\s+by apache\.org \(qpsmtpd\/0\.29\) with ESMTP; Thu, 29 Jan 2009 11:17:08 -0800/m);
    assert.doesNotMatch(raw, /Microsoft Mail Internet Headers Version 2\.0/);
    assert.match(m!.source.derivation ?? '', /\.msg file itself is the evidence/);
  });

  test('test-outlook.msg: French sender decoded, recipient without address, date 2007-04-05T16:26:06Z', () => {
    const [m] = bySource.get(files[3]!)!;
    assert.equal(m!.subject, 'Microsoft Outlook Express 6');
    assert.equal(m!.from[0]?.name, "L'\u00C9quipe Microsoft Outlook Express");
    assert.equal(m!.from[0]?.address, 'msoe@microsoft.com');
    assert.equal(m!.to[0]?.name, 'Nouvel utilisateur de Outlook Express');
    assert.equal(new Date(m!.date!).toISOString(), '2007-04-05T16:26:06.000Z');
  });

  test('re-encoding from the evidence gives the recorded bytes (SHA-256) for every item; show --raw writes them', async () => {
    let n = 0;
    for (const msgs of bySource.values()) {
      for (const m of msgs) {
        const bytes = await readOriginalBytes(m.source);
        assert.equal(bytes.length, m.source.length);
        assert.equal(createHash('sha256').update(bytes).digest('hex'), m.source.sha256, `${m.source.path} item ${m.source.offset}`);
        n++;
      }
    }
    assert.equal(n, 13);
    const one = bySource.get(files[0]!)![0]!;
    const r = cli(['show', caseDir, String(one.id), '--raw'], { encoding: 'buffer' });
    assert.equal(r.status, 0, String(r.stderr));
    assert.equal(createHash('sha256').update(r.stdout as Buffer).digest('hex'), one.source.sha256);
  });

  test('the evidence is untouched and re-ingesting adds nothing', async () => {
    for (const f of files) assert.deepEqual(fingerprint(f), before_.get(f), f);
    const again = await ingest({ caseDir, inputs: files, index: false });
    assert.equal(again.messages, 0);
  });
});

describe('Outlook limits', () => {
  test('a .msg above the in-memory limit is refused with a clear error, nothing read', async () => {
    const dir = tempDir('casefile-bigmsg-');
    const big = path.join(dir, 'huge.msg');
    // A sparse 300 MB file with the OLE signature: instant to make, larger than MAX_MSG_BYTES.
    const fd = openSync(big, 'w');
    writeSync(fd, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), 0, 8, 0);
    writeSync(fd, Buffer.from([0]), 0, 1, 300 * 1024 * 1024);
    closeSync(fd);
    const caseDir = path.join(tempDir('casefile-bigmsg-case-'), 'case');
    const s = await ingest({ caseDir, inputs: [big], index: false });
    assert.equal(s.messages, 0);
    assert.ok(s.warnings!.some((x) => x.includes('huge.msg') && /larger than the \d+-byte limit/.test(x)), JSON.stringify(s.warnings));
  });
});
