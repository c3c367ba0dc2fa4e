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

// dkimpy's verify-only expectations on fixed messages (test/fixtures/dkimpy, see ORIGIN.md there), and its
// canonicalization regression (launchpad #939128) reproduced with the test signer.
const DIR = path.join(REPO, 'test/fixtures/dkimpy');
const network = forbidNetwork();
after(() => network.restore());
const store = CaseStore.open(path.join(tempDir('casefile-dkimpy-'), 'c'), { create: true });
const keys = new KeyStore(store.db, store.audit);
const read = (f: string) => readFileSync(path.join(DIR, f), 'utf8').trim();

test('dkimpy test_degenerate_folding: real 2013 Gmail mail with odd folding verifies with 20120113._domainkey.gmail.com', async () => {
  const { dkim } = await checkSignatures(readFileSync(path.join(DIR, 'test2.message')), keys.resolver(new Map([['20120113._domainkey.gmail.com', read('gmail-20120113.txt')]])), null);
  assert.equal(dkim.length, 1);
  assert.equal(dkim[0]!.result, 'pass', dkim[0]!.reason ?? '');
  assert.equal(dkim[0]!.keyBits, 2048);
});

test('dkimpy test_verify_third_party: an Exim ed25519 signature verifies', async () => {
  const { dkim } = await checkSignatures(readFileSync(path.join(DIR, 'ed25519test2.msg')), keys.resolver(new Map([['sed._domainkey.test.ex', read('eximtest.dns')]])), null);
  assert.equal(dkim[0]!.algorithm, 'ed25519-sha256');
  assert.equal(dkim[0]!.result, 'pass', dkim[0]!.reason ?? '');
});

test('dkimpy test_dkim_signature_canonicalization: whitespace folded into b= (a tab included) is ignored, also under c=simple', async () => {
  const key = generateKeyPairSync('rsa', { modulusLength: 1024 });
  for (const canonicalization of ['simple/simple', 'relaxed/relaxed'] as const) {
    const m = signMessage({ headers: [['From', 'mbp@canonical.com'], ['To', 'scottk@example.com'], ['Subject', 'this is my\r\n    test message']], body: '', domain: 'canonical.com', selector: 'example', privateKey: key.privateKey, canonicalization });
    const folded = m.replace(/(b=[A-Za-z0-9+/]{20})([A-Za-z0-9+/]{20})/, '$1\r\n $2').replace(/(b=[^\r]*\r\n [A-Za-z0-9+/]{20})/, '$1\r\n\t');
    assert.notEqual(folded, m);
    const { dkim } = await checkSignatures(Buffer.from(folded, 'latin1'), keys.resolver(new Map([['example._domainkey.canonical.com', keyRecord(key.publicKey)]])), null);
    assert.equal(dkim[0]!.result, 'pass', `${canonicalization}: ${dkim[0]!.reason}`);
  }
});

test('no network access was attempted by any of these verifications', () => assert.deepEqual(network.attempts, []));
