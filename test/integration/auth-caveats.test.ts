import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import type { DkimVerdict } from '../../shared/types';
import { checkSignatures } from '../../electron/engine/auth/dkim-check';
import { KeyStore } from '../../electron/engine/auth/key-store';
import { CaseStore } from '../../electron/engine/store/case-store';
import { keyRecord, signMessage, type SignOptions } from '../fixtures/dkim-signer';
import { corpus, needsCorpora } from '../helpers/corpora';
import { forbidNetwork } from '../helpers/no-network';
import { tempDir } from '../helpers/temp';

// Historic mail: rsa-sha1, short keys, testing keys, expiry, revoked and restricted keys, each signed here
// with node:crypto by test/fixtures/dkim-signer.ts (not by the verifier under test).
const DATE = 'Tue, 02 May 2017 10:00:00 +0200';
const AT = new Date('2017-05-02T08:00:00Z');
const T = Math.floor(AT.getTime() / 1000);
const headers: [string, string][] = [
  ['From', 'Alice <alice@example.org>'],
  ['To', 'bob@example.net'],
  ['Subject', 'Le second tour'],
  ['Date', DATE],
  ['Message-ID', '<caveats-1@example.org>'],
];
const body = 'Bonjour,\r\n\r\nLe rendez-vous est confirmé pour jeudi.\r\n\r\nAlice\r\n';
const NAME = 'sel._domainkey.example.org';

// No verification may touch the network (DNS, sockets): every entry point fails the test if called.
const network = forbidNetwork();
after(() => network.restore());
const rsa = (bits: number) => generateKeyPairSync('rsa', { modulusLength: bits });
const k2048 = rsa(2048);
const k768 = rsa(768);
const store = CaseStore.open(path.join(tempDir('casefile-caveats-'), 'c'), { create: true });
const keys = new KeyStore(store.db, store.audit);

async function verify(message: string, record: string, at: Date | null = AT): Promise<DkimVerdict> {
  const { dkim } = await checkSignatures(Buffer.from(message, 'latin1'), keys.resolver(new Map([[NAME, record]])), at);
  assert.equal(dkim.length, 1);
  return dkim[0]!;
}
const signed = (o: Partial<SignOptions> & { privateKey?: KeyObject } = {}) => signMessage({ headers, body, domain: 'example.org', selector: 'sel', privateKey: k2048.privateKey, ...o });
const caveatNames = (v: DkimVerdict) => v.caveats.map((c) => c.name).sort();

describe('DKIM verdicts with caveats (historic mail)', () => {
  test('rsa-sha256 with a 2048-bit key: pass, no caveat', async () => {
    const v = await verify(signed({ tags: { t: T } }), keyRecord(k2048.publicKey));
    assert.equal(v.result, 'pass', v.reason ?? '');
    assert.deepEqual(caveatNames(v), []);
    assert.equal(v.keyBits, 2048);
    assert.equal(v.signedAt, AT.toISOString());
  });

  test('rsa-sha1: verified, caveat rsa-sha1', async () => {
    const v = await verify(signed({ algorithm: 'rsa-sha1' }), keyRecord(k2048.publicKey));
    assert.equal(v.result, 'pass', v.reason ?? '');
    assert.deepEqual(caveatNames(v), ['rsa-sha1']);
  });

  test('a 768-bit key and mailauth\'s own 512-bit test key: verified, caveat short-key-<bits>', async () => {
    const v768 = await verify(signed({ privateKey: k768.privateKey }), keyRecord(k768.publicKey));
    assert.equal(v768.result, 'pass', v768.reason ?? '');
    assert.deepEqual(caveatNames(v768), ['short-key-768']);
    assert.equal(v768.keyBits, 768);
  });

  test('a 512-bit key with rsa-sha1 (the 2009 combination): pass with both caveats', needsCorpora, async () => {
    const small = createPrivateKey(readFileSync(corpus('mailauth-dkim/test/fixtures/private-small.pem')));
    const v = await verify(signed({ privateKey: small, algorithm: 'rsa-sha1' }), keyRecord(createPublicKey(small)));
    assert.equal(v.result, 'pass', v.reason ?? '');
    assert.deepEqual(caveatNames(v), ['rsa-sha1', 'short-key-512']);
  });

  test('t=y in the key record: pass with caveat key-testing-mode', async () => {
    const v = await verify(signed(), keyRecord(k2048.publicKey, 't=y'));
    assert.equal(v.result, 'pass');
    assert.deepEqual(caveatNames(v), ['key-testing-mode']);
  });

  test('x= before the message date: fail, "expired"; judged at the message date, not today', async () => {
    const expired = signed({ tags: { t: T - 7200, x: T - 3600 } });
    const v = await verify(expired, keyRecord(k2048.publicKey));
    assert.equal(v.result, 'fail');
    assert.match(v.reason!, /expired \(x=2017-05-02T07:00:00.000Z\) by the message's date/);
    assert.equal(v.expiresAt, '2017-05-02T07:00:00.000Z');
    const stillValid = await verify(signed({ tags: { t: T, x: T + 3600 } }), keyRecord(k2048.publicKey));
    assert.equal(stillValid.result, 'pass', 'x= passed long ago by today\'s clock, but not at the message date');
    const backwards = await verify(signed({ tags: { t: T, x: T - 10 } }), keyRecord(k2048.publicKey));
    assert.equal(backwards.result, 'fail');
    assert.match(backwards.reason!, /expires .* before it was made/);
  });

  test('every key-record and tag problem has its own reason', async () => {
    const plain = signed();
    const cases: [string, string, RegExp, DkimVerdict['result']][] = [
      ['revoked key (empty p=)', 'v=DKIM1; k=rsa; p=', /revoked/, 'fail'],
      ['h= does not allow sha1', keyRecord(k2048.publicKey, 'h=sha256'), /allows only h=sha256.*sha1/, 'fail'],
      ['k= unsupported', 'v=DKIM1; k=dsa; p=AAAA', /k=dsa is not supported/, 'unsupported'],
      ['k= differs from a=', `v=DKIM1; k=ed25519; p=${'A'.repeat(43)}=`, /k=ed25519 but the signature says a=rsa-sha1/, 'fail'],
      ['g= does not match i=', keyRecord(k2048.publicKey, 'g=press'), /g=press .*i=alice@example.org/, 'fail'],
      ['s= not e-mail', keyRecord(k2048.publicKey, 's=tls'), /not for e-mail/, 'fail'],
      ['v= not DKIM1', keyRecord(k2048.publicKey).replace('DKIM1', 'DKIM2'), /v=DKIM2 is not DKIM1/, 'fail'],
    ];
    const sha1 = signed({ algorithm: 'rsa-sha1', tags: { i: 'alice@example.org' } });
    for (const [what, record, reason, result] of cases) {
      const v = await verify(what.startsWith('revoked') ? plain : sha1, record);
      assert.equal(v.result, result, what);
      assert.match(v.reason ?? '', reason, what);
    }
    const outside = await verify(signed({ tags: { i: 'alice@evil.example' } }), keyRecord(k2048.publicKey));
    assert.equal(outside.result, 'fail');
    assert.match(outside.reason!, /i=alice@evil.example is not within its d=example.org/);
    const strict = await verify(signed({ tags: { i: 'alice@mail.example.org' } }), keyRecord(k2048.publicKey, 't=s'));
    assert.equal(strict.result, 'fail');
    assert.match(strict.reason!, /t=s/);
    const sub = await verify(signed({ tags: { i: 'alice@mail.example.org' } }), keyRecord(k2048.publicKey));
    assert.equal(sub.result, 'pass', 'a subdomain i= is fine without t=s');
  });

  test('a signed header changed: fail, "does not match the signed headers"', async () => {
    const v = await verify(signed().replace('Le second tour', 'Le premier tour'), keyRecord(k2048.publicKey));
    assert.equal(v.result, 'fail');
    assert.equal(v.bodyHash, 'body-ok');
    assert.match(v.reason!, /does not match the signed headers/);
  });

  test('key history: private key published, message outside the key\'s validity window', async () => {
    const file = path.join(tempDir('casefile-keyhist-'), 'keys.json');
    writeFileSync(file, JSON.stringify({ keys: [{ name: NAME, record: keyRecord(k2048.publicKey), firstSeen: '2018-01-01', retired: '2020-06-30', privateKeyPublished: '2020-07-15', origin: 'archived DNS snapshot' }] }));
    const r = keys.import(file);
    assert.equal(r.format, 'key-history');
    const { dkim } = await checkSignatures(Buffer.from(signed(), 'latin1'), keys.resolver(), AT);
    assert.equal(dkim[0]!.result, 'pass');
    assert.deepEqual(caveatNames(dkim[0]!), ['private-key-published', 'signed-outside-key-validity']);
    assert.match(dkim[0]!.caveats.find((c) => c.name === 'signed-outside-key-validity')!.message, /before this key was first seen \(2018-01-01\)/);
    // Re-importing the plain record keeps the history; the audit log records what was imported.
    const plainFile = path.join(path.dirname(file), 'plain.json');
    writeFileSync(plainFile, JSON.stringify({ [NAME]: keyRecord(k2048.publicKey) }));
    assert.equal(keys.import(plainFile).unchanged, 1);
    const audit = store.db.prepare("SELECT details_json d FROM audit WHERE action = 'keys-imported'").all() as { d: string }[];
    assert.equal(JSON.parse(audit[0]!.d).keys[0].privateKeyPublished, '2020-07-15');
  });
});

test('no network access was attempted by any of these verifications', () => assert.deepEqual(network.attempts, []));
