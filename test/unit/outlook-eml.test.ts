import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { simpleParser } from 'mailparser';
import { itemToEml } from '../../electron/engine/source/outlook/item-to-eml';
import type { OutlookItem } from '../../electron/engine/source/outlook/outlook-item';
import { rtfToText } from '../../electron/engine/source/outlook/rtf-text';

function item(over: Partial<OutlookItem> = {}): OutlookItem {
  return {
    messageClass: 'IPM.Note',
    transportHeaders: null,
    subject: 'Réunion budget',
    from: { name: 'Élise Martin', address: 'elise@example.fr' },
    to: [{ name: 'Jean', address: 'jean@example.fr' }],
    cc: [{ name: 'Exchange only', address: '/o=ExchangeLabs/cn=Recipients/cn=x' }],
    bcc: [],
    date: new Date('2017-04-28T10:15:00Z'),
    messageId: '<abc@example.fr>',
    inReplyTo: null,
    text: 'Bonjour,\r\nvoici le budget.\r\n',
    html: '<p>Bonjour</p>',
    rtf: null,
    attachments: [{ filename: 'budget été.pdf', contentType: 'application/pdf', contentId: null, content: Buffer.from('%PDF-1.4 test') }],
    problems: [],
    ...over,
  };
}

describe('Outlook item re-encoded as .eml', () => {
  test('deterministic, and mailparser reads back what the item holds', async () => {
    const a = itemToEml(item(), 'pst item 1 in folder "/Boîte"');
    assert.ok(a.equals(itemToEml(item(), 'pst item 1 in folder "/Boîte"')));
    const p = await simpleParser(a);
    assert.equal(p.subject, 'Réunion budget');
    assert.equal(p.from?.value[0]?.name, 'Élise Martin');
    assert.equal(p.from?.value[0]?.address, 'elise@example.fr');
    assert.equal(p.messageId, '<abc@example.fr>');
    assert.equal(p.date?.toISOString(), '2017-04-28T10:15:00.000Z');
    assert.equal(p.text?.trim(), 'Bonjour,\nvoici le budget.');
    assert.equal(p.html, '<p>Bonjour</p>');
    assert.equal(p.attachments.length, 1);
    assert.equal(p.attachments[0]!.filename, 'budget été.pdf');
    assert.equal(p.attachments[0]!.content.toString(), '%PDF-1.4 test');
    assert.match(p.headers.get('x-casefile-derived') as string, /casefile-outlook-eml\/1; pst item 1/);
  });

  test('transport headers are kept, the ones describing the old body are not', async () => {
    const headers = 'Microsoft Mail Internet Headers Version 2.0\r\nReceived: from a by b;\r\n Thu, 29 Jan 2009 11:17:08 -0800\r\nDKIM-Signature: v=1; d=example.fr;\r\n b=abc\r\nFrom: x@example.fr\r\nSubject: kept\r\nContent-Type: multipart/mixed; boundary="old"\r\nMIME-Version: 1.0\r\n\r\n';
    const eml = itemToEml(item({ transportHeaders: headers }), 'msg file').toString();
    assert.match(eml, /^Received: from a by b;\r\n Thu, 29 Jan 2009 11:17:08 -0800\r\nDKIM-Signature: v=1; d=example.fr;\r\n b=abc\r\nFrom: x@example.fr\r\nSubject: kept\r\nX-Casefile-Derived/);
    assert.doesNotMatch(eml, /boundary="old"|Microsoft Mail Internet Headers/);
    assert.equal((eml.match(/^MIME-Version:/gm) ?? []).length, 1);
  });

  test('RTF as the only body becomes the text part; an embedded item becomes message/rfc822', async () => {
    const rtf = "{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}\\f0 Caf\\'e9 \\u8364? ouvert\\par Deuxi\\'e8me ligne}";
    assert.equal(rtfToText(rtf), 'Café € ouvert\nDeuxième ligne\n');
    const inner = item({ subject: 'inner', attachments: [], text: 'inner text', html: null });
    const p = await simpleParser(itemToEml(item({ text: null, html: null, rtf, attachments: [{ filename: 'inner.msg', contentType: 'message/rfc822', contentId: null, content: inner }] }), 'x'));
    assert.equal(p.text?.trim(), 'Café € ouvert\nDeuxième ligne');
    assert.equal(p.attachments[0]!.contentType, 'message/rfc822');
    assert.equal((await simpleParser(p.attachments[0]!.content)).subject, 'inner');
  });
});
