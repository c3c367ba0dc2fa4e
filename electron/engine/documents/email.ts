import { simpleParser } from 'mailparser';
import { type Extracted, LIMITS, TextSink } from './types';

/** An attached message (.eml / message/rfc822): its text, and its attachments as child documents. */
export async function extractEmail(bytes: Uint8Array): Promise<Extracted> {
  const mail = await simpleParser(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { skipTextToHtml: true, skipImageLinks: true });
  const sink = new TextSink();
  const head = [`From: ${mail.from?.text ?? ''}`, `Subject: ${mail.subject ?? ''}`, `Date: ${mail.headers.get('date') ?? ''}`].join('\n');
  sink.add(`${head}\n\n${mail.text ?? ''}`);
  const children = mail.attachments.slice(0, LIMITS.maxChildren).map((a) => ({ name: a.filename ?? 'attachment', bytes: a.content }));
  return {
    type: 'email',
    meta: { author: mail.from?.text || undefined, title: mail.subject || undefined, created: mail.headers.get('date') ? String(mail.headers.get('date')) : undefined },
    pages: sink.pages,
    errors: [],
    children,
  };
}
