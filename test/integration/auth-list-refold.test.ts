import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { checkSignatures } from '../../electron/engine/auth/dkim-check';
import { KeyStore } from '../../electron/engine/auth/key-store';
import { CaseStore } from '../../electron/engine/store/case-store';
import { keyRecord, signMessage } from '../fixtures/dkim-signer';
import { REPO } from '../helpers/corpora';
import { forbidNetwork } from '../helpers/no-network';
import { tempDir } from '../helpers/temp';

// c=simple/… signs headers byte for byte: a list that re-folds a long Subject breaks the signature. Casefile
// unfolds the signed headers and verifies again; a match is a list change with a caveat, never a plain pass.
const network = forbidNetwork();
after(() => network.restore());
const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
const NAME = 'sel._domainkey.example.org';
const store = CaseStore.open(path.join(tempDir('casefile-refold-'), 'c'), { create: true });
const keys = new KeyStore(store.db, store.audit);
const SUBJECT = 'Compte rendu de la réunion du comité de campagne du mardi 2 mai, avec les chiffres du second tour';
const signed = (canonicalization: 'simple/simple' | 'relaxed/relaxed') =>
  signMessage({
    headers: [
      ['From', 'alice@example.org'],
      ['To', 'equipe@lists.example.org'],
      ['Subject', SUBJECT],
      ['Date', 'Tue, 02 May 2017 10:00:00 +0200'],
      ['Message-ID', '<refold-1@example.org>'],
    ],
    body: 'Bonjour,\r\n\r\nVoici le compte rendu.\r\n',
    domain: 'example.org',
    selector: 'sel',
    privateKey: key.privateKey,
    canonicalization,
  });
const listed = (m: string) => `List-Id: <equipe.lists.example.org>\r\n${m}`;
/** What a list's mail library does to a long header: fold it at a space before column 78. */
const refold = (m: string, fold = '\r\n ') => m.replace('réunion du comité de campagne ', `réunion du comité de campagne${fold}`);
const FOOTER = '\r\n_______________________________________________\r\nequipe mailing list\r\n';
const check = async (m: string, records = new Map([[NAME, keyRecord(key.publicKey)]]), at: Date | null = null) => (await checkSignatures(Buffer.from(m, 'latin1'), keys.resolver(records), at)).dkim[0]!;

test('c=simple: a Subject re-folded by a list verifies once unfolded, as a list change with a caveat', async () => {
  for (const fold of ['\r\n ', '\r\n\t']) {
    const v = await check(listed(refold(signed('simple/simple'), fold)));
    assert.equal(v.result, 'pass', v.reason ?? '');
    assert.deepEqual(v.listChanges.map((c) => [c.kind, c.text]), [['headers-refolded', 'Subject']]);
    assert.match(v.reason!, /headers re-folded by the list \(Subject\), original headers verified once unfolded/);
    assert.ok(v.caveats.some((c) => c.name === 'list-modified' && c.message.includes('<equipe.lists.example.org>')));
  }
});

test('c=simple: re-folding plus a footer: both undone and named', async () => {
  const v = await check(listed(refold(signed('simple/simple'))) + FOOTER);
  assert.equal(v.result, 'pass', v.reason ?? '');
  assert.equal(v.bodyHash, 'list-footer');
  assert.deepEqual(v.listChanges.map((c) => c.kind), ['footer', 'headers-refolded']);
});

test('c=simple: a re-folded Subject with a changed word stays a failure; without list headers it is not a pass', async () => {
  const edited = await check(listed(refold(signed('simple/simple')).replace('second tour', 'premier tour')));
  assert.equal(edited.result, 'fail');
  assert.deepEqual(edited.listChanges, []);
  const unlisted = await check(refold(signed('simple/simple')));
  assert.equal(unlisted.result, 'fail');
  assert.deepEqual(unlisted.listChanges.map((c) => c.kind), ['headers-refolded']);
  assert.match(unlisted.reason!, /no List-Id or other mailing-list header/);
});

test('c=relaxed: re-folding changes nothing (plain pass, no list change)', async () => {
  const v = await check(listed(refold(signed('relaxed/relaxed'))));
  assert.equal(v.result, 'pass', v.reason ?? '');
  assert.deepEqual(v.listChanges, []);
});

test('a real c=simple signature (Mail::DKIM corpus, 512-bit key of 2009) re-folded by a list is found', async () => {
  const raw = readFileSync(path.join(REPO, 'test/fixtures/mail-dkim/goodkey_3.txt'), 'latin1');
  const dns = new Map([['test3._domainkey.messiah.edu', /^test3\._domainkey\.messiah\.edu\s+(.*)$/m.exec(readFileSync(path.join(REPO, 'test/fixtures/mail-dkim/FAKE_DNS.dat'), 'utf8'))![1]!.trim()]]);
  assert.match(raw, /^DKIM-Signature: [^\r]*c=simple;/);
  assert.equal((await check(raw, dns, new Date('2009-01-01'))).result, 'pass');
  const folded = listed(raw.replace(/^Subject: dkim test/m, 'Subject: dkim\r\n test'));
  const v = await check(folded, dns, new Date('2009-01-01'));
  assert.equal(v.result, 'pass', v.reason ?? '');
  assert.deepEqual(v.listChanges.map((c) => c.kind), ['headers-refolded']);
});

test('no network access was attempted by any of these verifications', () => assert.deepEqual(network.attempts, []));
