import { BoundedMemo } from '../util/bounded-memo';

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
  return memo.get(host, computeOrgDomain);
}

/** Host names longer than a DNS name (255) are not remembered. */
const memo = new BoundedMemo<string | null>(10_000, 255);

function computeOrgDomain(host: string): string | null {
  const h = host.trim().toLowerCase().replace(/\.$/, '').replace(/^.*@/, '').replace(/[<>]/g, '');
  if (!/^[a-z0-9.-]+\.[a-z0-9-]+$/.test(h)) return null;
  const labels = h.split('.');
  const keep = TWO_LEVEL.test(h) ? 3 : 2;
  return labels.slice(-keep).join('.');
}
