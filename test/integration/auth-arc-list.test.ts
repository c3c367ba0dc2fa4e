import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { checkSignatures } from '../../electron/engine/auth/dkim-check';
import { KeyStore } from '../../electron/engine/auth/key-store';
import { CaseStore } from '../../electron/engine/store/case-store';
import { keyRecord, signMessage } from '../fixtures/dkim-signer';
import { throughArcList } from '../fixtures/list-mail';
import { corpus, needsCorpora } from '../helpers/corpora';
import { forbidNetwork } from '../helpers/no-network';
import { tempDir } from '../helpers/temp';

// A list that strips a part cannot be undone (the body stays "altered"); its ARC-Authentication-Results may
// still record the author's signature passing on arrival. That is context, verified only through the chain.
const network = forbidNetwork();
after(() => network.restore());
const author = generateKeyPairSync('rsa', { modulusLength: 2048 });
const list = generateKeyPairSync('rsa', { modulusLength: 2048 });
const AUTHOR_KEY = 'sel._domainkey.example.org';
const LIST_KEY = 'arc._domainkey.lists.example.org';
const store = CaseStore.open(path.join(tempDir('casefile-arc-list-'), 'c'), { create: true });
const keys = new KeyStore(store.db, store.audit);
const original = signMessage({
  headers: [
    ['From', 'alice@example.org'],
    ['To', 'equipe@lists.example.org'],
    ['Subject', 'Agenda'],
    ['Date', 'Tue, 02 May 2017 10:00:00 +0200'],
    ['Message-ID', '<arc-list-1@example.org>'],
  ],
  body: 'Point 1: budget.\r\nPoint 2: presse.\r\n',
  domain: 'example.org',
  selector: 'sel',
  privateKey: author.privateKey,
});
const throughList = (listId = true) => throughArcList(original, list.privateKey, { listId });
const verify = async (m: string, withListKey = true) => {
  const records = new Map([[AUTHOR_KEY, keyRecord(author.publicKey)]]);
  if (withListKey) records.set(LIST_KEY, keyRecord(list.publicKey));
  return checkSignatures(Buffer.from(m, 'latin1'), keys.resolver(records), new Date('2017-05-02T08:00:00Z'));
};

test("the list's key in the case: the ARC chain validates, its record of the original signature is verified context", async () => {
  const { dkim, arc } = await verify(await throughList());
  assert.equal(arc.result, 'pass', arc.reason ?? '');
  const why = JSON.stringify(dkim);
  assert.equal(dkim[0]!.result, 'fail', why);
  assert.equal(dkim[0]!.bodyHash, 'body-altered', `the stripped part cannot be undone: still body altered; ${why}`);
  assert.deepEqual({ ...dkim[0]!.arcContext, text: undefined }, { instance: 1, sealer: 'lists.example.org', verified: true, text: undefined }, why);
  assert.match(dkim[0]!.arcContext!.text, /The list's ARC seal \(i=1, lists\.example\.org\) records the original signature of example\.org passing before it changed the message/);
});

test("without the list's key, or with the message changed after sealing, the record is unverified", async () => {
  const noKey = await verify(await throughList(), false);
  assert.equal(noKey.arc.result, 'fail');
  assert.equal(noKey.dkim[0]!.arcContext!.verified, false);
  assert.match(noKey.dkim[0]!.arcContext!.text, /does not validate offline \(no key for arc\._domainkey\.lists\.example\.org.*unverified/);
  const tampered = await verify((await throughList()).replace('Point 1: budget.', 'Point 1: budget secret.'));
  assert.equal(tampered.arc.result, 'fail');
  assert.equal(tampered.dkim[0]!.arcContext!.verified, false);
});

test('no List-Id: ARC records are not used as list context', async () => {
  const { dkim } = await verify(await throughList(false));
  assert.equal(dkim[0]!.arcContext, undefined);
});

test("real Gmail ARC headers (mailauth's arc-pass.eml) with a list footer and List-Id added: Google's record found, unverified offline", needsCorpora, async () => {
  const raw = readFileSync(corpus('mailauth-dkim/test/fixtures/arc-pass.eml'), 'latin1');
  const m = `List-Id: <test.example>\r\n${raw}X\r\n`;
  const { dkim } = await checkSignatures(Buffer.from(m, 'latin1'), keys.resolver(), null);
  const ekiri = dkim.find((d) => d.domain === 'ekiri.ee')!;
  assert.equal(ekiri.bodyHash, 'list-footer');
  assert.match(ekiri.listChanges[0]!.text, /^(\r\n)*X\r\n$/, 'the appended line (after the empty lines the signature ignores)');
  assert.equal(ekiri.arcContext!.instance, 1, 'the lowest instance recording dkim=pass header.i=@ekiri.ee header.s=default');
  assert.equal(ekiri.arcContext!.sealer, 'google.com');
  assert.equal(ekiri.arcContext!.verified, false);
});

test('no network access was attempted by any of these verifications', () => assert.deepEqual(network.attempts, []));
