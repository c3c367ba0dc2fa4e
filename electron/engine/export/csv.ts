import type { Address } from '../../../shared/types';
import type { ExportRecord } from './export-record';

const COLUMNS = ['id', 'date', 'from', 'to', 'cc', 'subject', 'message_id', 'tags', 'note', 'source_path', 'source_offset', 'length', 'sha256', 'attachments', 'dkim', 'arc', 'flags'] as const;

export interface CsvOptions {
  delimiter?: ',' | ';';
  bom?: boolean;
}

/**
 * RFC 4180 CSV (UTF-8 with BOM by default so spreadsheet programs read accents right, CRLF rows; `;` as
 * delimiter on request, since French-locale Excel reads `,` files as one column). DKIM, ARC and flags are
 * the verdicts of the last authenticity pass ("not checked" when it has not run). A cell starting
 * with = + - @ or a tab/CR is prefixed with ' so a spreadsheet never runs a mail-supplied formula
 * (CSV injection); the JSON export keeps values untouched.
 */
export function toCsv(records: ExportRecord[], opts: CsvOptions = {}): string {
  const sep = opts.delimiter ?? ',';
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
    r.auth ? r.auth.dkim.map((d) => `${d.result === 'pass' || d.result === 'fail' ? d.result : `${d.bodyHash}, ${d.result}`} (${d.domain})`).join('; ') || 'unsigned' : 'not checked',
    r.auth ? r.auth.arc.result : 'not checked',
    r.auth ? r.auth.flags.map((f) => f.name).join(' ') : '',
  ]);
  return (opts.bom === false ? '' : '\ufeff') + [COLUMNS as readonly string[], ...rows].map((row) => row.map((v) => cell(v, sep)).join(sep)).join('\r\n') + '\r\n';
}

function addresses(list: Address[]): string {
  return list.map((a) => (a.name ? `${a.name} <${a.address}>` : a.address)).join(', ');
}

function cell(value: string, sep: string): string {
  const v = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",;\r\n]/.test(v) || v.includes(sep) ? `"${v.replace(/"/g, '""')}"` : v;
}
