import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runAuthPass } from '../../electron/engine/auth/auth-pass';
import { dkimBodyHash } from '../../electron/engine/auth/body-hash';
import { checkSignatures } from '../../electron/engine/auth/dkim-check';
import { parseKeyFile } from '../../electron/engine/auth/key-formats';
import { KeyStore } from '../../electron/engine/auth/key-store';
import { authenticateMessage } from '../../electron/engine/auth/message-auth';
import { ingest } from '../../electron/engine/ingest/ingest';
import { CaseStore } from '../../electron/engine/store/case-store';
import { cli, cliJson } from '../helpers/cli';
import { corpus, needsCorpora } from '../helpers/corpora';
import { forbidNetwork } from '../helpers/no-network';
import { tempDir } from '../helpers/temp';

describe('authenticity: offline DKIM and ARC, Received chain, flags', needsCorpora, () => {
  const cases = tempDir('casefile-auth-cases-');
  const evidence = tempDir('casefile-auth-ev-');
  const caseDir = path.join(cases, 'case');
  const dkimDir = corpus('mimekit-testdata/UnitTests/TestData/dkim');
  let net: ReturnType<typeof forbidNetwork>;

  before(async () => {
    net = forbidNetwork();
    // One byte changed in the body of a really signed message: the body hash must notice.
    const tampered = path.join(evidence, 'gmail-tampered.eml');
    const bytes = readFileSync(path.join(dkimDir, 'gmail.msg'));
    const at = bytes.lastIndexOf(Buffer.from('\n\n')) - 4;
    bytes[at] = bytes[at] === 0x61 ? 0x62 : 0x61;
    writeFileSync(tampered, bytes);
    copyFileSync(path.join(dkimDir, 'gmail.msg'), path.join(evidence, 'gmail.eml'));
    copyFileSync(corpus('mailauth-dkim/test/dkim/ec/fixtures/signed.eml'), path.join(evidence, 'ec-signed.eml'));
    await ingest({ caseDir, inputs: [evidence, corpus('mailauth-dkim/test/fixtures')] });
    const store = CaseStore.open(caseDir);
    await runAuthPass(store.db, store.audit);
    store.close();
  });

  after(() => net.restore());

  const idOf = (file: string) => {
    const store = CaseStore.open(caseDir);
    const r = store.db.prepare("SELECT l.message_id id FROM locations l JOIN sources s ON s.id = l.source_id WHERE s.path LIKE '%' || ?").get(file) as { id: number };
    store.close();
    return r.id;
  };
  const report = (id: number) => cliJson(['show', caseDir, String(id)]).auth;

  test('the ARC validation suite (171 cases) gives the expected verdict through the offline resolver', async () => {
    const suite = JSON.parse(readFileSync(corpus('mailauth-dkim/test/fixtures/arc/arc-draft-validation-tests.json'), 'utf8'));
    const store = CaseStore.open(caseDir);
    const keys = new KeyStore(store.db, store.audit);
    const wrong: string[] = [];
    let count = 0;
    for (const scenario of suite) {
      const resolver = keys.resolver(new Map(Object.entries<string>(scenario['txt-records'] ?? {}).map(([k, v]) => [k.toLowerCase(), v])));
      for (const [name, t] of Object.entries<any>(scenario.tests)) {
        count++;
        const { arc } = await checkSignatures(Buffer.from(t.message || ''), resolver, null);
        const expected = (t.cv || 'fail').toLowerCase(); // "" marks a broken chain: fail
        if (arc.result !== expected) wrong.push(`${name}: expected ${expected}, got ${arc.result} (${arc.reason})`);
      }
    }
    store.close();
    assert.equal(count, 171);
    assert.deepEqual(wrong, []);
  });

  test('before any key is imported: body hashes are checked, full verdicts say no-key', () => {
    const gmail = report(idOf('gmail.eml'));
    assert.equal(gmail.dkim.length, 1);
    assert.equal(gmail.dkim[0].domain, 'gmail.com');
    assert.equal(gmail.dkim[0].bodyHash, 'body-ok');
    assert.equal(gmail.dkim[0].result, 'no-key');
    const tampered = report(idOf('gmail-tampered.eml'));
    assert.equal(tampered.dkim[0].bodyHash, 'body-altered', 'one changed byte in the body');
    assert.equal(cliJson(['search', caseDir, 'dkim:body-altered']).hits.map((h: any) => h.id).join(), String(idOf('gmail-tampered.eml')));
  });

  test('real signatures verify "pass" with imported keys (PEM, mailauth dns-cache JSON); the key and its file are recorded', () => {
    assert.equal(cli(['keys', 'import', caseDir, path.join(dkimDir, 'gmail.pub'), '--name', '20120113._domainkey.gmail.com']).status, 0);
    assert.equal(cli(['keys', 'import', caseDir, corpus('mailauth-dkim/test/dkim/ec/fixtures/dns.json')]).status, 0);
    const out = cliJson(['verify-auth', caseDir]);
    const byId = new Map(out.messages.map((m: any) => [m.id, m]));
    const gmail: any = byId.get(idOf('gmail.eml'));
    assert.equal(gmail.dkim[0].result, 'pass');
    assert.equal(gmail.dkim[0].keySource, path.join(dkimDir, 'gmail.pub'));
    assert.match(gmail.dkim[0].keySha256, /^[0-9a-f]{64}$/);
    const ec: any = byId.get(idOf('ec-signed.eml'));
    assert.deepEqual(
      ec.dkim.map((d: any) => [d.algorithm, d.result]).sort(),
      [
        ['ed25519-sha256', 'pass'],
        ['rsa-sha256', 'pass'],
      ],
    );
    const tampered: any = byId.get(idOf('gmail-tampered.eml'));
    assert.equal(tampered.dkim[0].result, 'fail');
    assert.match(tampered.dkim[0].reason, /body/);
    assert.ok(out.totals.dkimPass >= 2);
    const passIds = cliJson(['search', caseDir, 'dkim:pass', '--limit', '50']).hits.map((h: any) => h.id);
    assert.ok(passIds.includes(idOf('gmail.eml')) && passIds.includes(idOf('ec-signed.eml')) && !passIds.includes(idOf('gmail-tampered.eml')));

    const audit = cliJson(['audit', caseDir]);
    const imported = audit.filter((e: any) => e.action === 'keys-imported');
    assert.equal(imported[0].details.sha256.length, 64);
    const verified = audit.filter((e: any) => e.action === 'auth-verified').at(-1);
    assert.ok(verified.details.keysUsed.some((k: any) => k.name === '20120113._domainkey.gmail.com' && k.source === path.join(dkimDir, 'gmail.pub')));
    assert.equal(cli(['audit', caseDir, '--verify']).status, 0);
  });

  test('the expected body hashes of message1.eml are reproduced', () => {
    const raw = readFileSync(corpus('mailauth-dkim/test/fixtures/message1.eml'));
    assert.equal(dkimBodyHash(raw, 'relaxed', 'sha256'), 'D2H5TEwtUgM2u8Ew0gG6vnt/Na6L+Zep7apmSmfy8IQ=');
    assert.equal(dkimBodyHash(raw, 'simple', 'sha256'), 'GjyEkbey2OupCW5AKJv4dzTPsPHSaZjRDMqUSmhpTyQ=');
  });

  test('BIND, tinydns and PEM forms of the same key give the same record', () => {
    const bind = parseKeyFile(readFileSync(path.join(dkimDir, 'example.bind9'), 'utf8'));
    const tiny = parseKeyFile(readFileSync(path.join(dkimDir, 'example.tinydns'), 'utf8'));
    const pem = parseKeyFile(readFileSync(path.join(dkimDir, 'example.pub'), 'utf8'), '1433868189.example._domainkey.example.com');
    const p = (r: { records: { record: string }[] }) => /p=([^;]+)/.exec(r.records[0]!.record)![1];
    assert.equal(bind.format, 'bind');
    assert.equal(tiny.format, 'tinydns');
    assert.equal(bind.records[0]!.name, '1433868189.example._domainkey.example.com');
    assert.equal(tiny.records[0]!.name, bind.records[0]!.name);
    assert.equal(p(bind), p(tiny));
    assert.equal(p(pem), p(tiny));
    assert.equal(cli(['keys', 'import', caseDir, path.join(dkimDir, 'example.pem')]).status, 2, 'a private key / unknown file is refused');
  });

  test('ARC verdicts on real mail; arc: and flag: search; export manifests carry the verdicts', () => {
    const arcFail = report(idOf('arc-fail.eml')).arc;
    assert.equal(arcFail.result, 'fail');
    assert.ok(arcFail.reason);
    const noReceived = cliJson(['search', caseDir, 'flag:no-received', '--limit', '100']).hits.map((h: any) => h.id);
    const store = CaseStore.open(caseDir);
    const expected = (store.db.prepare('SELECT message_id FROM message_auth').raw().all() as [number][])
      .map((r) => r[0])
      .filter((id) => JSON.parse((store.db.prepare('SELECT result_json FROM message_auth WHERE message_id = ?').get(id) as any).result_json).received.length === 0);
    store.close();
    assert.deepEqual(noReceived.sort(), expected.sort());
    assert.equal(cli(['search', caseDir, 'dkim:maybe']).status, 1);
    const out = path.join(tempDir('casefile-auth-export-'), 'x');
    cliJson(['export', caseDir, '--query', 'dkim:pass', '--format', 'json', '--out', out]);
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    assert.ok(manifest.messages.length >= 2 && manifest.messages.every((m: any) => m.auth.dkim.some((d: any) => d.result === 'pass')));
  });

  test('no network access was attempted by any verification', () => {
    assert.deepEqual(net.attempts, []);
  });
});

test('Received chain in transit order with delays; forged-looking timing raises hints', async () => {
  const raw = Buffer.from(
    [
      'Received: from relay2.example.net by mx.example.org with ESMTP id C3; Mon, 1 May 2017 10:00:00 +0000',
      'Received: from relay1.example.net by relay2.example.net with ESMTP id B2; Mon, 1 May 2017 10:30:00 +0000',
      'Received: from client.example.com by relay1.example.net with ESMTPSA id A1; Mon, 1 May 2017 09:59:00 +0000',
      'Return-Path: <bounce@mailer.example.biz>',
      'From: Alice <alice@example.com>',
      'Message-ID: <123@unrelated.example.info>',
      'Date: Mon, 1 May 2017 11:00:00 +0000',
      'Subject: timing',
      '',
      'body',
      '',
    ].join('\r\n'),
  );
  const store = CaseStore.open(path.join(tempDir('casefile-auth-rc-'), 'c'), { create: true });
  const { report } = await authenticateMessage(raw, new KeyStore(store.db, store.audit).resolver(), { dateMs: Date.parse('2017-05-01T11:00:00Z'), fromAddress: 'alice@example.com' });
  store.close();
  assert.deepEqual(
    report.received.map((h) => [h.by, h.delaySeconds]),
    [
      ['relay1.example.net', null],
      ['relay2.example.net', 1860],
      ['mx.example.org', -1800],
    ],
  );
  assert.deepEqual(report.flags.map((f) => f.name).sort(), ['date-after-first-hop', 'message-id-domain-mismatch', 'received-time-backwards', 'return-path-misaligned']);
  assert.ok(report.flags.every((f) => /may|unusual|differs|wrong clock|hint|inserted/i.test(f.message)), 'flags are worded as hints');
});
