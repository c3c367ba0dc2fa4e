import { detached } from '../util/detached';

/**
 * The organisational domain of a host name, approximately: the last two labels, or three under common
 * two-level public suffixes (example.co.uk, example.gouv.fr). Casefile has no Public Suffix List offline
 * worth its weight here; the flags that use this are hints, and say so.
 */
const TWO_LEVEL = /\.(co|com|net|org|gov|gouv|ac|edu|ne|or|go|asso)\.[a-z]{2}$/;

export function orgDomain(host: string | null | undefined): string | null {
  if (!host) return null;
  // Remembered per host: parse workers ask this for every message's From, Message-ID and Return-Path, and
  // mail comes from few domains (its chain of regular expressions was ≈1 % of a parse worker, issue 15).
  if (host.length > MAX_HOST) return computeOrgDomain(host);
  let org = memo.get(host);
  if (org === undefined) {
    if (memo.size >= MEMO_MAX) memo.clear();
    memo.set(detached(host), (org = computeOrgDomain(host)));
  }
  return org;
}

const MEMO_MAX = 10_000;
/** Longer than a DNS name: not remembered (the memo's bound is in entries). */
const MAX_HOST = 255;
const memo = new Map<string, string | null>();

function computeOrgDomain(host: string): string | null {
  const h = host.trim().toLowerCase().replace(/\.$/, '').replace(/^.*@/, '').replace(/[<>]/g, '');
  if (!/^[a-z0-9.-]+\.[a-z0-9-]+$/.test(h)) return null;
  const labels = h.split('.');
  const keep = TWO_LEVEL.test(h) ? 3 : 2;
  return labels.slice(-keep).join('.');
}
