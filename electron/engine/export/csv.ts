import type { Address } from '../../../shared/types';
import type { ExportRecord } from './export-record';

const COLUMNS = ['id', 'date', 'from', 'to', 'cc', 'subject', 'message_id', 'tags', 'note', 'source_path', 'source_offset', 'length', 'sha256', 'attachments'] as const;

/**
 * RFC 4180 CSV (UTF-8 with BOM so spreadsheet programs read accents right, CRLF rows). A cell starting
 * with = + - @ or a tab/CR is prefixed with ' so a spreadsheet never runs a mail-supplied formula
 * (CSV injection); the JSON export keeps values untouched.
 */
export function toCsv(records: ExportRecord[]): string {
  const rows = records.map((r) => [
    String(r.id),
    r.date ?? '',
    addresses(r.from),
    addresses(r.to),
    addresses(r.cc),
    r.subject ?? '',
    r.messageId ?? '',
    r.tags.join(' '),
    r.note ?? '',
    r.source.path,
    String(r.source.offset),
    String(r.source.length),
    r.sha256,
    r.attachments.map((a) => `${a.filename ?? '(unnamed)'} sha256:${a.sha256}`).join('; '),
  ]);
  return '\ufeff' + [COLUMNS as readonly string[], ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

function addresses(list: Address[]): string {
  return list.map((a) => (a.name ? `${a.name} <${a.address}>` : a.address)).join(', ');
}

function cell(value: string): string {
  const v = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
