import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { checkSignatures } from '../../electron/engine/auth/dkim-check';
import { KeyStore } from '../../electron/engine/auth/key-store';
import { CaseStore } from '../../electron/engine/store/case-store';
import { migrate, MIGRATIONS } from '../../electron/engine/store/migrations';
import Database from 'better-sqlite3';
import { keyRecord, signMessage } from '../fixtures/dkim-signer';
import { corpus, needsCorpora } from '../helpers/corpora';
import { forbidNetwork } from '../helpers/no-network';
import { tempDir } from '../helpers/temp';

// A selector reused over the years with different keys (rotation): the key store keeps every record with
// its validity window, and verification tries each, saying which one matched.
const network = forbidNetwork();
after(() => network.restore());
const NAME = 'mail._domainkey.example.org';
const dir = tempDir('casefile-rotation-');
const store = CaseStore.open(path.join(dir, 'c'), { create: true });
const keys = new KeyStore(store.db, store.audit);
const [old, current, stranger] = [1, 2, 3].map(() => generateKeyPairSync('rsa', { modulusLength: 1024 }));
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const oldRecord = keyRecord(old!.publicKey);
const currentRecord = keyRecord(current!.publicKey);

const file = (name: string, data: unknown) => {
  const p = path.join(dir, name);
  writeFileSync(p, typeof data === 'string' ? data : JSON.stringify(data));
  return p;
};
const history = {
  keys: [
    { name: NAME, record: oldRecord, firstSeen: '2010-01-01', retired: '2014-06-30', origin: 'archived DNS 2012' },
    { name: NAME, record: currentRecord, firstSeen: '2014-07-01', origin: 'archived DNS 2016' },
  ],
};
const message = (privateKey: typeof old.privateKey, date: string) =>
  signMessage({
    headers: [
      ['From', 'alice@example.org'],
      ['To', 'bob@example.net'],
      ['Subject', 'Rotation'],
      ['Date', date],
      ['Message-ID', `<${date.replace(/\W/g, '')}@example.org>`],
    ],
    body: 'Texte.\r\n',
    domain: 'example.org',
    selector: 'mail',
    privateKey,
  });
const verify = async (m: string, at: string) => (await checkSignatures(Buffer.from(m, 'latin1'), keys.resolver(), new Date(at))).dkim[0]!;

test('import keeps both keys of one selector with their windows; re-imports are unchanged or update history', () => {
  const r = keys.import(file('history.json', history));
  assert.deepEqual([r.added, r.replaced, r.unchanged], [2, 0, 0]);
  assert.equal(keys.resolver().keysFor(NAME).length, 2);
  // The old key again as a plain record (BIND line): same record, history kept.
  const again = keys.import(file('zone.txt', `mail._domainkey.example.org. IN TXT "${oldRecord}"\n`));
  assert.deepEqual([again.added, again.replaced, again.unchanged], [0, 0, 1]);
  const kept = keys.resolver().keysFor(NAME).find((k) => k.recordSha256 === sha(oldRecord))!;
  assert.equal(kept.retired, '2014-06-30');
  const audit = store.audit.entries().filter((e) => e.action === 'keys-imported');
  assert.equal(audit.length, 2);
});

test('a 2012 message signed with the retired key passes with it; a 2017 message with the current key', async () => {
  const v2012 = await verify(message(old!.privateKey, 'Mon, 02 Apr 2012 10:00:00 +0200'), '2012-04-02T08:00:00Z');
  assert.equal(v2012.result, 'pass', v2012.reason ?? '');
  assert.equal(v2012.keySha256, sha(oldRecord));
  assert.equal(v2012.keysTried, 2);
  assert.match(v2012.reason!, /key \d of 2 for mail\._domainkey\.example\.org \(seen 2010-01-01 to 2014-06-30; archived DNS 2012.*\) matched/);
  assert.deepEqual(v2012.caveats, []);
  const v2017 = await verify(message(current!.privateKey, 'Tue, 02 May 2017 10:00:00 +0200'), '2017-05-02T08:00:00Z');
  assert.equal(v2017.result, 'pass', v2017.reason ?? '');
  assert.equal(v2017.keySha256, sha(currentRecord));
  assert.match(v2017.reason!, /archived DNS 2016.*matched/);
});

test('the retired key used on a message dated after its retirement: pass, with the validity caveat', async () => {
  const v = await verify(message(old!.privateKey, 'Tue, 02 May 2017 10:00:00 +0200'), '2017-05-02T08:00:00Z');
  assert.equal(v.result, 'pass', v.reason ?? '');
  assert.equal(v.keySha256, sha(oldRecord));
  assert.deepEqual(v.caveats.map((c) => c.name), ['signed-outside-key-validity']);
});

test('a key the store does not hold: fail, saying none of the keys verifies', async () => {
  const v = await verify(message(stranger!.privateKey, 'Tue, 02 May 2017 10:00:00 +0200'), '2017-05-02T08:00:00Z');
  assert.equal(v.result, 'fail');
  assert.match(v.reason!, /none of the 2 keys for mail\._domainkey\.example\.org verifies/);
});

test("real Gmail mail (MimeKit's gmail.msg): with a second key for 20120113._domainkey.gmail.com in the store, the real one is found and named", needsCorpora, async () => {
  const dkimDir = corpus('mimekit-testdata/UnitTests/TestData/dkim');
  const other = keyRecord(stranger!.publicKey);
  keys.import(file('gmail-other.json', { keys: [{ name: '20120113._domainkey.gmail.com', record: other, origin: 'a wrong copy' }] }));
  keys.import(path.join(dkimDir, 'gmail.pub'), '20120113._domainkey.gmail.com');
  const gmailKeys = keys.resolver().keysFor('20120113._domainkey.gmail.com');
  assert.equal(gmailKeys.length, 2);
  const { dkim } = await checkSignatures(readFileSync(path.join(dkimDir, 'gmail.msg')), keys.resolver(), null);
  assert.equal(dkim[0]!.result, 'pass', dkim[0]!.reason ?? '');
  assert.notEqual(dkim[0]!.keySha256, sha(other));
  assert.equal(dkim[0]!.keySource, path.join(dkimDir, 'gmail.pub'));
  assert.match(dkim[0]!.reason!, /key \d of 2 for 20120113\._domainkey\.gmail\.com .* matched/);
});

test('a case made before key rotations (schema 8, one key per name) upgrades with its keys and history', () => {
  const db = new Database(path.join(dir, 'v8.db'));
  const v9 = MIGRATIONS.findIndex((m) => m.includes('dkim_keys_v9'));
  for (const m of MIGRATIONS.slice(0, v9)) db.exec(m);
  db.pragma(`user_version = ${v9}`);
  db.prepare("INSERT INTO dkim_keys VALUES (?, ?, ?, 'f', 's', 'now', '2010-01-01', NULL, '2014-06-30', NULL, 'o')").run(NAME, oldRecord, sha(oldRecord));
  migrate(db);
  db.prepare("INSERT INTO dkim_keys VALUES (?, ?, ?, 'f', 's', 'now', NULL, NULL, NULL, NULL, NULL)").run(NAME, currentRecord, sha(currentRecord));
  assert.deepEqual(db.prepare('SELECT record_sha256 s, retired FROM dkim_keys ORDER BY rowid').all(), [{ s: sha(oldRecord), retired: '2014-06-30' }, { s: sha(currentRecord), retired: null }]);
  db.close();
});

test('no network access was attempted by any of these verifications', () => assert.deepEqual(network.attempts, []));
