import type { Address } from '../shared/types';
import { visibleText } from './visible-text';

export function senderName(list: Address[]): string {
  const a = list[0];
  return a ? visibleText(a.name || a.address) : '(unknown sender)';
}

export function formatAddresses(list: Address[]): string {
  return visibleText(list.map((a) => (a.name ? `${a.name} <${a.address}>` : a.address)).join(', '));
}

/** Dates are shown in UTC (the default: comparable across a case) or in this computer's time zone. */
let zone: 'utc' | 'local' = 'utc';
export function setDisplayZone(z: 'utc' | 'local'): void {
  zone = z;
}

export function formatDate(iso: string | null): string {
  if (!iso) return '—';
  if (zone === 'utc') return iso.slice(0, 16).replace('T', ' ');
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1048576) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1048576).toFixed(1)} MB`;
}
