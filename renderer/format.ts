import type { Address, FacetFilters } from '../shared/types';
import { formatInZone } from './date-zone';
import { visibleText } from './visible-text';

export function senderName(list: Address[]): string {
  const a = list[0];
  return a ? visibleText(a.name || a.address) : '(unknown sender)';
}

export function formatAddresses(list: Address[]): string {
  return visibleText(list.map((a) => (a.name ? `${a.name} <${a.address}>` : a.address)).join(', '));
}

/** A date in the display zone the user chose (UTC by default, or local), always with the zone written. */
export function formatDate(iso: string | null, seconds = false): string {
  return iso ? formatInZone(iso, seconds) : '—';
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1048576) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1048576).toFixed(1)} MB`;
}

/** Facet and date filters in words ("mailbox: alice, bob · 2017-04-01 – 2017-05-07"), for whatever acts on the filtered list. */
export function describeFilters(filters: FacetFilters): string {
  return Object.entries(filters)
    .map(([k, v]) =>
      k === 'date' ? `${new Date((v as { from: number }).from).toISOString().slice(0, 10)} – ${new Date((v as { to: number }).to - 1).toISOString().slice(0, 10)}` : `${k}: ${(v as string[]).join(', ')}`,
    )
    .join(' · ');
}
