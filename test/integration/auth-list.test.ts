import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { dkimBodyHash } from '../../electron/engine/auth/body-hash';
import { checkSignatures } from '../../electron/engine/auth/dkim-check';
import { parseTagList } from '../../electron/engine/auth/dkim-tags';
import { KeyStore } from '../../electron/engine/auth/key-store';
import { readRawHeaders } from '../../electron/engine/parse/raw-headers';
import { CaseStore } from '../../electron/engine/store/case-store';
import { keyRecord, signMessage } from '../fixtures/dkim-signer';
import { corpus, needsCorpora } from '../helpers/corpora';
import { forbidNetwork } from '../helpers/no-network';
import { tempDir } from '../helpers/temp';

// No verification may touch the network (DNS, sockets): every entry point fails the test if called.
const network = forbidNetwork();
after(() => network.restore());
const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
const NAME = 'list._domainkey.example.org';
const store = CaseStore.open(path.join(tempDir('casefile-list-'), 'c'), { create: true });
const resolver = () => new KeyStore(store.db, store.audit).resolver(new Map([[NAME, keyRecord(key.publicKey)]]));
const FOOTER = '\r\n---------------------------------------------------------------------\r\nTo unsubscribe, e-mail: dev-unsubscribe@example.org\r\nFor additional commands, e-mail: dev-help@example.org\r\n';
const original = signMessage({
  headers: [
    ['From', 'alice@example.org'],
    ['To', 'dev@lists.example.org'],
    ['Subject', 'Release vote'],
    ['Date', 'Fri, 01 Dec 2017 09:22:00 +0100'],
    ['Message-ID', '<vote@example.org>'],
  ],
  body: 'The vote passed.\r\n\r\nThanks,\r\nAlice\r\n',
  domain: 'example.org',
  selector: 'list',
  privateKey: key.privateKey,
});
const listed = (m: string) => m.replace('Message-ID:', 'List-Id: <dev.example.org>\r\nMessage-ID:');
const check = async (m: string) => (await checkSignatures(Buffer.from(m, 'latin1'), resolver(), null)).dkim[0]!;

test('a list footer appended after signing: "list footer", original body verified, the footer shown', async () => {
  const v = await check(listed(original) + FOOTER);
  assert.equal(v.result, 'pass', v.reason ?? '');
  assert.equal(v.bodyHash, 'list-footer');
  assert.equal(v.listChanges.length, 1);
  assert.equal(v.listChanges[0]!.text, FOOTER);
  assert.equal(v.listChanges[0]!.bytes, Buffer.byteLength(FOOTER));
  assert.match(v.reason!, new RegExp(`footer of ${Buffer.byteLength(FOOTER)} bytes appended by the list, original body verified`));
  assert.ok(v.caveats.some((c) => c.name === 'list-modified' && c.message.includes('<dev.example.org>')));
});

test('a changed word in the signed part (footer or not) stays "body altered"', async () => {
  for (const m of [original.replace('vote passed', 'vote failed'), original.replace('vote passed', 'vote failed') + FOOTER, original.replace('Thanks,\r\n', '') + FOOTER]) {
    const v = await check(m);
    assert.equal(v.result, 'fail');
    assert.equal(v.bodyHash, 'body-altered');
    assert.deepEqual(v.listChanges, []);
  }
});

test('a subject tag added by the list, with a footer: both undone and named', async () => {
  const v = await check(listed(original).replace('Subject: Release vote', 'Subject: [VOTE] Release vote') + FOOTER);
  assert.equal(v.result, 'pass', v.reason ?? '');
  assert.deepEqual(v.listChanges.map((c) => [c.kind, c.text]), [['footer', FOOTER], ['subject-tag', '[VOTE] ']]);
  const forged = await check(original.replace('Subject: Release vote', 'Subject: [VOTE] Release cancelled'));
  assert.equal(forged.result, 'fail', 'a subject changed beyond a tag stays a failure');
});

test('real Apache list mail (ponymail maven-dev): every footer found is the list\'s, and the signed body verifies without it', needsCorpora, async () => {
  const mbox = readFileSync(corpus('ponymail-asf-mbox/corpus/maven-dev-2017-12-mailarchivesao.mbox'), 'latin1');
  const noKeys = new KeyStore(store.db, store.audit).resolver();
  let footers = 0;
  let plainAltered = 0;
  for (const m of mbox.split(/\n(?=From \S+ )/)) {
    if (!/^DKIM-Signature/im.test(m)) continue;
    const raw = Buffer.from(m.replace(/^From [^\n]*\n/, ''), 'latin1');
    const { dkim } = await checkSignatures(raw, noKeys, null);
    const multipart = /^Content-Type:\s*multipart\//im.test(m);
    for (const d of dkim) {
      if (d.bodyHash === 'body-altered' && !multipart) plainAltered++;
      if (d.bodyHash !== 'list-footer') continue;
      footers++;
      const footer = d.listChanges[0]!.text;
      assert.match(footer, /To unsubscribe, e-mail: dev-unsubscribe@maven\.apache\.org/);
      // Independent check with mailauth's canonicalizer: the body minus the footer hashes to the signed bh=.
      const cut = Buffer.from(raw.toString('latin1').slice(0, -Buffer.byteLength(footer, 'latin1')), 'latin1');
      const sig = parseTagList(readRawHeaders(raw).values.get('dkim-signature')![0]!);
      assert.equal(dkimBodyHash(cut, 'relaxed', 'sha256'), sig.get('bh'));
      assert.equal(d.result, 'no-key', 'without the key the verdict stays no-key, with the body explained');
    }
  }
  assert.equal(footers, 8);
  assert.equal(plainAltered, 0, 'every single-part message broken by the list is explained');
});

test('no network access was attempted by any of these verifications', () => assert.deepEqual(network.attempts, []));
