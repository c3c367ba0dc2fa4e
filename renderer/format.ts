import type { Address } from '../shared/types';
import { visibleText } from './visible-text';

export function senderName(list: Address[]): string {
  const a = list[0];
  return a ? visibleText(a.name || a.address) : '(unknown sender)';
}

export function formatAddresses(list: Address[]): string {
  return visibleText(list.map((a) => (a.name ? `${a.name} <${a.address}>` : a.address)).join(', '));
}

export function formatDate(iso: string | null): string {
  if (!iso) return '—';
  return iso.slice(0, 16).replace('T', ' ');
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1048576) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1048576).toFixed(1)} MB`;
}
