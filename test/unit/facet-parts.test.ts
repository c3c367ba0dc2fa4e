import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mailboxesOf } from '../../electron/engine/facets/custodian';
import { detectLanguage } from '../../electron/engine/facets/language';
import { bucketStart } from '../../electron/engine/facets/timeline';

test('mailboxes: per-person folders, mbox files, Maildir sub-folders, a lone folder', () => {
  assert.deepEqual(
    mailboxesOf([
      { path: '/ev/dump/Alain Tourret/2016/a.eml', kind: 'eml' },
      { path: '/ev/dump/Alain Tourret/b.eml', kind: 'eml' },
      { path: '/ev/dump/bob.mbox', kind: 'mbox' },
      { path: '/ev/dump/carol/cur/1:2,S', kind: 'maildir' },
    ]),
    ['Alain Tourret', 'Alain Tourret', 'bob', 'carol'],
  );
  assert.deepEqual(mailboxesOf([{ path: '/ev/leak/x.eml', kind: 'eml' }, { path: '/ev/leak/y.eml', kind: 'eml' }]), ['leak', 'leak']);
  assert.deepEqual(mailboxesOf([{ path: '/ev/alice/cur/1', kind: 'maildir' }]), ['alice']);
});

test('language by stop words', () => {
  assert.equal(detectLanguage('Bonjour, je vous envoie le compte rendu de la réunion avec les militants et nous attendons votre retour'), 'fr');
  assert.equal(detectLanguage('Hi all, please find the minutes of the meeting with our donors and let me know what you think'), 'en');
  assert.equal(detectLanguage('OK 12:30'), 'other');
});

test('timeline buckets: UTC days, Monday weeks, months', () => {
  const t = Date.UTC(2017, 4, 5, 23, 59); // Friday 5 May 2017
  assert.equal(new Date(bucketStart(t, 'day')).toISOString(), '2017-05-05T00:00:00.000Z');
  assert.equal(new Date(bucketStart(t, 'week')).toISOString(), '2017-05-01T00:00:00.000Z');
  assert.equal(new Date(bucketStart(t, 'month')).toISOString(), '2017-05-01T00:00:00.000Z');
  assert.equal(new Date(bucketStart(Date.UTC(1969, 11, 31), 'week')).toISOString(), '1969-12-29T00:00:00.000Z');
});

test('mailboxes: unrelated evidence sets near the file-system root are read separately', () => {
  assert.deepEqual(
    mailboxesOf([
      { path: '/tmp/ev-1/alice/inbox.mbox', kind: 'mbox' },
      { path: '/tmp/ev-1/bob/list.mbox', kind: 'mbox' },
      { path: '/work/corpora/maven.mbox', kind: 'mbox' },
    ]),
    ['alice', 'bob', 'maven'],
  );
});
