import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ExportFormat, ExportRequest, Selection } from '../../../shared/types';
import { filtersArg } from '../facets/facet-service';
import { badRequest, objectArg, stringArg } from './validate';

const FORMATS: ExportFormat[] = ['mbox', 'eml', 'csv', 'json'];

export function selectionArg(v: unknown): Selection {
  const o = objectArg(v);
  if (Array.isArray(o.ids)) {
    if (o.ids.length === 0 || o.ids.length > 1_000_000 || !o.ids.every((x) => Number.isInteger(x) && x > 0)) throw badRequest('selection.ids must be 1 to 1,000,000 positive integers');
    return { ids: o.ids as number[] };
  }
  if (o.threadOf !== undefined) {
    if (!Number.isInteger(o.threadOf) || (o.threadOf as number) < 1) throw badRequest('selection.threadOf must be a message id');
    return { threadOf: o.threadOf as number };
  }
  if (o.query !== undefined) {
    const filters = filtersArg(o.filters);
    return Object.keys(filters).length ? { query: stringArg(o, 'query'), filters } : { query: stringArg(o, 'query') };
  }
  if (o.tag !== undefined) return { tag: stringArg(o, 'tag', 64) };
  throw badRequest('selection must be {ids}, {threadOf}, {query} or {tag}');
}

/**
 * An export asked for by the UI. The renderer is not trusted with the file system: the output must be
 * an absolute path that does not exist yet, in a folder that does (never an overwrite from the UI).
 */
export function exportRequestArg(v: unknown): Omit<ExportRequest, 'overwrite'> {
  const o = objectArg(v);
  const selection = selectionArg(o.selection);
  if (!('tag' in selection) && !('query' in selection)) throw badRequest('an export selects by tag or query');
  const format = o.format as ExportFormat;
  if (!FORMATS.includes(format)) throw badRequest(`format must be one of ${FORMATS.join(', ')}`);
  const out = stringArg(o, 'out', 4096);
  if (!path.isAbsolute(out)) throw badRequest('out must be an absolute path');
  if (existsSync(out)) throw badRequest(`${out} already exists; choose a new name`);
  if (!existsSync(path.dirname(out))) throw badRequest(`folder ${path.dirname(out)} does not exist`);
  const csv = o.csv === undefined ? undefined : objectArg(o.csv);
  if (csv && csv.delimiter !== undefined && csv.delimiter !== ',' && csv.delimiter !== ';') throw badRequest('csv.delimiter must be "," or ";"');
  if (csv && csv.bom !== undefined && typeof csv.bom !== 'boolean') throw badRequest('csv.bom must be true or false');
  return { selection, format, out, attachments: o.attachments === true, zip: o.zip === true, ...(csv ? { csv: { delimiter: (csv.delimiter as ',' | ';') ?? ',', bom: csv.bom !== false } } : {}) };
}
