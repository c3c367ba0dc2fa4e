import { FACET_NAMES, type FacetFilters, type FacetName, type FacetsResult, type FacetValue } from '../../../shared/types';
import type { FacetIndex } from './facet-index';
import { buildTimeline } from './timeline';

const TOP = 20;
const STACK_SERIES = 5;
const MATRIX = 8;

type Dim = FacetName | 'date';

/** The values of one facet for the message at position p, read from the in-memory columns. */
function valuesReader(ix: FacetIndex, tags: Map<number, string[]>): (f: FacetName, p: number) => string[] {
  const auth = (p: number, prefix: string) => (ix.auth.get(ix.ids[p]!) ?? []).filter((t) => t.startsWith(prefix)).map((t) => t.slice(prefix.length));
  return (f, p) => {
    switch (f) {
      case 'mailbox':
        return [ix.mailboxOfSource.get(ix.source[p]!) ?? '(unknown)'];
      case 'domain':
        return [ix.domains.values[ix.domain[p]!] || '(no sender)'];
      case 'sender':
        return [ix.addresses.values[ix.sender[p]!] || '(no sender)'];
      case 'recipient':
        return ix.recipients[p]!.map((c) => ix.addresses.values[c]!);
      case 'attachment':
        return ix.attachments[p]!.map((c) => ix.kinds.values[c]!);
      case 'language':
        return [ix.languages.values[ix.language[p]!]!];
      case 'tag':
        return tags.get(ix.ids[p]!) ?? [];
      case 'flag':
        return auth(p, 'flag:');
      case 'dkim':
        return auth(p, 'dkim:');
    }
  };
}

function activeDims(filters: FacetFilters): { dims: Dim[]; wanted: Map<FacetName, Set<string>> } {
  const wanted = new Map<FacetName, Set<string>>();
  for (const f of FACET_NAMES) {
    const v = filters[f];
    if (Array.isArray(v) && v.length) wanted.set(f, new Set(v.map((x) => (f === 'tag' ? x.toLowerCase() : x))));
  }
  return { dims: [...wanted.keys(), ...(filters.date ? (['date'] as const) : [])], wanted };
}

function matcher(ix: FacetIndex, filters: FacetFilters, read: (f: FacetName, p: number) => string[]) {
  const { dims, wanted } = activeDims(filters);
  return {
    dims,
    ok(d: Dim, p: number): boolean {
      if (d === 'date') {
        const t = ix.date[p]!;
        return t >= filters.date!.from && t < filters.date!.to;
      }
      const want = wanted.get(d)!;
      return read(d, p).some((v) => want.has(d === 'tag' ? v.toLowerCase() : v));
    },
  };
}

/** Ids passing every filter (null when there is no filter): used to narrow a search. */
export function filteredIds(ix: FacetIndex, filters: FacetFilters): Set<number> | null {
  const m = matcher(ix, filters, valuesReader(ix, ix.tags()));
  if (m.dims.length === 0) return null;
  const out = new Set<number>();
  for (let p = 0; p < ix.ids.length; p++) if (m.dims.every((d) => m.ok(d, p))) out.add(ix.ids[p]!);
  return out;
}

/**
 * Facet counts, timeline and sender × recipient matrix for the hits of a query (null: every message),
 * narrowed by the filters. One pass over the hits: a message failing exactly one filter still counts for
 * that filter's facet (multi-select facets show their alternatives), and the timeline ignores the date
 * filter so the brushed range is seen in context.
 */
export function computeFacets(ix: FacetIndex, hits: Iterable<number> | null, filters: FacetFilters, opts: { stackBy?: FacetName; unit?: FacetsResult['timeline']['unit'] } = {}): Omit<FacetsResult, 'tookMs'> {
  const read = valuesReader(ix, ix.tags());
  const m = matcher(ix, filters, read);
  const counts = new Map<FacetName, Map<string, number>>(FACET_NAMES.map((f) => [f, new Map()]));
  const add = (f: FacetName, p: number) => {
    const c = counts.get(f)!;
    for (const v of read(f, p)) c.set(v, (c.get(v) ?? 0) + 1);
  };
  const inResult: number[] = [];
  const onTimeline: number[] = [];
  const visit = (p: number) => {
    let failed: Dim | null = null;
    for (const d of m.dims) {
      if (m.ok(d, p)) continue;
      if (failed !== null) return; // fails two filters: counts nowhere
      failed = d;
    }
    if (failed === null) {
      inResult.push(p);
      onTimeline.push(p);
      for (const f of FACET_NAMES) add(f, p);
    } else if (failed === 'date') onTimeline.push(p);
    else add(failed, p);
  };
  if (hits === null) for (let p = 0; p < ix.ids.length; p++) visit(p);
  else
    for (const id of hits) {
      const p = ix.pos.get(id);
      if (p !== undefined) visit(p);
    }

  const facets = Object.fromEntries(FACET_NAMES.map((f) => [f, top(counts.get(f)!, filters[f] ?? [])])) as Record<FacetName, FacetValue[]>;

  // Timeline, stacked by the top values of one facet (a message counts under its first value).
  let series = ['messages'];
  let seriesOf = onTimeline.map(() => 0);
  if (opts.stackBy) {
    const stackTop = facets[opts.stackBy].slice(0, STACK_SERIES).map((v) => v.value);
    series = [...stackTop, 'other'];
    seriesOf = onTimeline.map((p) => {
      const i = stackTop.indexOf(read(opts.stackBy!, p)[0] ?? '');
      return i < 0 ? stackTop.length : i;
    });
  }
  const timeline = buildTimeline(onTimeline.map((p) => ix.date[p]!), seriesOf, series, opts.unit);

  // Who writes to whom, among the results.
  const senders = facets.sender.filter((v) => v.value !== '(no sender)').slice(0, MATRIX).map((v) => v.value);
  const recipients = facets.recipient.slice(0, MATRIX).map((v) => v.value);
  const grid = senders.map(() => recipients.map(() => 0));
  for (const p of inResult) {
    const s = senders.indexOf(read('sender', p)[0]!);
    if (s < 0) continue;
    for (const r of read('recipient', p)) {
      const j = recipients.indexOf(r);
      if (j >= 0) grid[s]![j]!++;
    }
  }
  return { total: inResult.length, facets, timeline, matrix: { senders, recipients, counts: grid } };
}

/** The most frequent values, and the chosen ones even when rare (so they can be un-chosen). */
function top(counts: Map<string, number>, chosen: string[]): FacetValue[] {
  const all = [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
  const out = all.slice(0, TOP);
  for (const c of chosen) if (!out.some((v) => v.value === c)) out.push({ value: c, count: counts.get(c) ?? 0 });
  return out;
}
