import type Database from 'better-sqlite3';
import { FACET_NAMES, type FacetFilters, type FacetName, type FacetsResult, type TimelineUnit } from '../../../shared/types';
import { badRequest } from '../api/validate';
import type { Searcher } from '../search/searcher';
import { FacetIndex } from './facet-index';
import { computeFacets, filteredIds } from './facet-query';

const UNITS: readonly TimelineUnit[] = ['day', 'week', 'month'];

/** The overview for the API: validated arguments, an up-to-date facet index, the query's hits. */
export class FacetService {
  private readonly index: FacetIndex;

  /** `caseDir`: where the facet columns are kept between runs (facet-cache.ts). */
  constructor(
    db: Database.Database,
    private readonly searcher: () => Searcher,
    caseDir?: string,
  ) {
    this.index = caseDir ? FacetIndex.forCase(db, caseDir) : new FacetIndex(db);
  }

  compute(query: string, o: Record<string, unknown>): FacetsResult {
    const started = performance.now();
    const filters = filtersArg(o.filters);
    if (o.stackBy !== undefined && !FACET_NAMES.includes(o.stackBy as FacetName)) throw badRequest(`stackBy must be one of ${FACET_NAMES.join(', ')}`);
    if (o.unit !== undefined && !UNITS.includes(o.unit as TimelineUnit)) throw badRequest('unit must be day, week or month');
    const hits = this.searcher().hitIds(query);
    const r = computeFacets(this.index.refresh(), hits, filters, { stackBy: o.stackBy as FacetName | undefined, unit: o.unit as TimelineUnit | undefined });
    return { ...r, tookMs: performance.now() - started };
  }

  /** The ids a search is narrowed to, or null without filters. */
  restriction(raw: unknown): Set<number> | null {
    const filters = filtersArg(raw);
    return Object.keys(filters).length ? filteredIds(this.index.refresh(), filters) : null;
  }
}

export function filtersArg(raw: unknown): FacetFilters {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw badRequest('filters must be an object');
  const out: FacetFilters = {};
  for (const [k, v] of Object.entries(raw)) {
    if (k === 'date') {
      const d = v as { from?: unknown; to?: unknown };
      if (!d || typeof d.from !== 'number' || typeof d.to !== 'number' || !(d.from < d.to)) throw badRequest('filters.date must be { from, to } in ms with from < to');
      out.date = { from: d.from, to: d.to };
    } else if (FACET_NAMES.includes(k as FacetName)) {
      if (!Array.isArray(v) || v.length > 1000 || !v.every((x) => typeof x === 'string' && x.length < 1000)) throw badRequest(`filters.${k} must be a list of strings`);
      if (v.length) out[k as FacetName] = v as string[];
    } else throw badRequest(`unknown filter ${JSON.stringify(k).slice(0, 40)}`);
  }
  return out;
}
