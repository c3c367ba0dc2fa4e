import type { AnomalyFlag, DkimVerdict, ReceivedHop } from '../../../shared/types';
import { orgDomain } from './org-domain';

export interface FlagInput {
  headers: Map<string, string[]>;
  dateMs: number | null;
  fromAddress: string | null;
  received: ReceivedHop[];
  dkim: DkimVerdict[];
}

/** Clock skew tolerated between hosts before a flag is raised. */
const SKEW_MS = 15 * 60 * 1000;
const FAR_BEFORE_MS = 7 * 24 * 3600 * 1000;

/**
 * Hints that a message may not be what it claims. Each is worded as a hint: mailing lists, forwarding,
 * misconfigured clocks and bulk senders all produce some of them for genuine mail.
 */
export function anomalyFlags(m: FlagInput): AnomalyFlag[] {
  const flags: AnomalyFlag[] = [];
  const add = (name: string, message: string) => flags.push({ name, message });
  const first = (name: string) => m.headers.get(name)?.[0] ?? null;

  const backwards = m.received.findIndex((h) => h.delaySeconds !== null && h.delaySeconds * 1000 < -SKEW_MS);
  if (backwards > 0) add('received-time-backwards', `Received hop ${backwards + 1} is dated ${Math.round(-m.received[backwards]!.delaySeconds! / 60)} min before the hop it came from: a wrong clock, or inserted headers.`);

  const firstHop = m.received.find((h) => h.date)?.date;
  if (m.dateMs !== null && firstHop) {
    const gap = Date.parse(firstHop) - m.dateMs;
    if (gap < -SKEW_MS) add('date-after-first-hop', `The Date header is ${Math.round(-gap / 60000)} min after the first relay received the message: the Date may have been edited.`);
    else if (gap > FAR_BEFORE_MS) add('date-long-before-first-hop', `The Date header is ${Math.round(gap / 86400000)} days before the first relay received the message: a back-dated Date, or a long-held draft.`);
  }

  const fromOrg = orgDomain(m.fromAddress);
  const msgId = first('message-id');
  const msgIdOrg = orgDomain(msgId ? /@([^>\s]+)/.exec(msgId)?.[1] : null);
  if (fromOrg && msgIdOrg && fromOrg !== msgIdOrg) add('message-id-domain-mismatch', `Message-ID domain ${msgIdOrg} differs from the sender's ${fromOrg} (common for mail sent through a provider; unusual for a provider's own users).`);

  const returnPath = first('return-path');
  const rpOrg = orgDomain(returnPath ? /@([^>\s]+)/.exec(returnPath)?.[1] : null);
  if (fromOrg && rpOrg && fromOrg !== rpOrg) add('return-path-misaligned', `Return-Path domain ${rpOrg} differs from the From domain ${fromOrg}.`);

  const signed = m.dkim.filter((d) => d.domain);
  if (fromOrg && signed.length > 0 && !signed.some((d) => orgDomain(d.domain) === fromOrg)) {
    add('dkim-from-misaligned', `No DKIM signature is from the From domain ${fromOrg} (signed by ${[...new Set(signed.map((d) => d.domain))].join(', ')}).`);
  }

  for (const rule of EXPECTED_HEADERS) {
    if (rule.applies(m) && !m.headers.has(rule.header)) add('missing-expected-header', `${rule.claim}, which always writes ${rule.header}; it is missing.`);
  }
  if (m.received.length === 0) add('no-received', 'No Received header: the message never crossed a mail server (a draft, a client copy, or a fabricated file).');
  return flags;
}

/** Headers that the sending systems a message claims always write. Kept short and well-known. */
const EXPECTED_HEADERS: { claim: string; header: string; applies: (m: FlagInput) => boolean }[] = [
  {
    claim: 'The sender is a Gmail address',
    header: 'dkim-signature',
    applies: (m) => /@(gmail|googlemail)\.com$/i.test(m.fromAddress ?? '') && m.received.length > 0,
  },
  {
    claim: 'X-Mailer claims Microsoft Outlook',
    header: 'thread-index',
    applies: (m) => /microsoft outlook/i.test(m.headers.get('x-mailer')?.[0] ?? ''),
  },
  {
    claim: 'X-Mailer claims Apple Mail',
    header: 'mime-version',
    applies: (m) => /apple mail/i.test(m.headers.get('x-mailer')?.[0] ?? ''),
  },
];
