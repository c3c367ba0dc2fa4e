import { FACET_NAMES, type FacetFilters, type FacetName, type FacetsResult, type FacetValue } from '../../../shared/types';
import type { CodedColumn } from './auth-columns';
import { Dict } from './dict';
import type { FacetIndex } from './facet-index';
import { buildTimeline } from './timeline';

const TOP = 20;
const STACK_SERIES = 5;
const MATRIX = 8;

type Dim = FacetName | 'date';

/**
 * One facet over the in-memory columns, as small integer codes: counting a result set is adding 1 to an
 * array slot per value, and labels are looked up only for the values shown.
 */
interface Column {
  size: number;
  each(p: number, fn: (code: number) => void): void;
  /** Adds 1 to `into[code]` for each value of each position in `ps` (each() per position, in one tight loop). */
  count(ps: ArrayLike<number>, into: Float64Array): void;
  /** The message's first value (-1: none): what a stacked timeline files it under. */
  first(p: number): number;
  label(code: number): string;
}

function single(col: ArrayLike<number>, size: number, label: (c: number) => string): Column {
  return {
    size,
    each: (p, fn) => fn(col[p]!),
    count: (ps, into) => {
      for (let i = 0; i < ps.length; i++) into[col[ps[i]!]!]!++;
    },
    first: (p) => col[p]!,
    label,
  };
}

function multi(col: number[][], size: number, label: (c: number) => string): Column {
  return {
    size,
    each: (p, fn) => {
      for (const c of col[p]!) fn(c);
    },
    count: (ps, into) => {
      for (let i = 0; i < ps.length; i++) {
        const list = col[ps[i]!]!;
        for (let k = 0; k < list.length; k++) into[list[k]!]!++;
      }
    },
    first: (p) => col[p]![0] ?? -1,
    label,
  };
}

/** Values that few messages carry (tags), by message id. */
function sparse(ix: FacetIndex, byId: Map<number, string[]>): Column {
  const dict = new Dict();
  const codesById = new Map<number, number[]>();
  for (const [id, values] of byId) codesById.set(id, values.map((v) => dict.code(v)));
  return {
    size: dict.values.length,
    each: (p, fn) => {
      const list = codesById.get(ix.ids[p]!);
      if (list) for (const c of list) fn(c);
    },
    count: (ps, into) => {
      if (codesById.size === 0) return;
      for (let i = 0; i < ps.length; i++) {
        const list = codesById.get(ix.ids[ps[i]!]!);
        if (list) for (const c of list) into[c]!++;
      }
    },
    first: (p) => codesById.get(ix.ids[p]!)?.[0] ?? -1,
    label: (c) => dict.values[c]!,
  };
}

/** A facet read into flat columns by position (the authenticity terms: auth-columns.ts). */
function coded({ values, starts, codes }: CodedColumn): Column {
  const last = starts.length - 1; // positions from here on came after the column was read: no values
  return {
    size: values.length,
    each: (p, fn) => {
      if (p < last) for (let i = starts[p]!; i < starts[p + 1]!; i++) fn(codes[i]!);
    },
    count: (ps, into) => {
      for (let i = 0; i < ps.length; i++) {
        const p = ps[i]!;
        if (p < last) for (let k = starts[p]!; k < starts[p + 1]!; k++) into[codes[k]!]!++;
      }
    },
    first: (p) => (p < last && starts[p]! < starts[p + 1]! ? codes[starts[p]!]! : -1),
    label: (c) => values[c]!,
  };
}

/**
 * Each message's mailbox code, kept while the index has the same messages and mailbox labels: at 1M
 * messages mapping every source to its mailbox again took ≈ 0.2 s of every overview.
 */
const mailboxColumns = new WeakMap<FacetIndex, { count: number; labels: Map<number, string>; values: string[]; codes: Int32Array }>();
function mailboxColumn(ix: FacetIndex): { values: string[]; codes: Int32Array } {
  const kept = mailboxColumns.get(ix);
  if (kept && kept.count === ix.source.length && kept.labels === ix.mailboxOfSource) return kept;
  const mailboxes = new Dict();
  const bySource: number[] = [];
  for (const [source, label] of ix.mailboxOfSource) bySource[source] = mailboxes.code(label);
  const unknown = mailboxes.code('(unknown)');
  const made = { count: ix.source.length, labels: ix.mailboxOfSource, values: mailboxes.values, codes: Int32Array.from(ix.source, (s) => bySource[s] ?? unknown) };
  mailboxColumns.set(ix, made);
  return made;
}

function columnsOf(ix: FacetIndex, tags: Map<number, string[]>): Record<FacetName, Column> {
  const mailbox = mailboxColumn(ix);
  return {
    mailbox: single(mailbox.codes, mailbox.values.length, (c) => mailbox.values[c]!),
    domain: single(ix.domain, ix.domains.values.length, (c) => ix.domains.values[c] || '(no sender)'),
    sender: single(ix.sender, ix.addresses.values.length, (c) => ix.addresses.values[c] || '(no sender)'),
    recipient: multi(ix.recipients, ix.addresses.values.length, (c) => ix.addresses.values[c]!),
    attachment: multi(ix.attachments, ix.kinds.values.length, (c) => ix.kinds.values[c]!),
    language: single(ix.language, ix.languages.values.length, (c) => ix.languages.values[c]!),
    tag: sparse(ix, tags),
    flag: coded(ix.auth.flag),
    dkim: coded(ix.auth.dkim),
  };
}

/** The filters as code tests on the columns (tag names compare case-insensitively, as tag: does). */
function matcher(ix: FacetIndex, filters: FacetFilters, cols: Record<FacetName, Column>) {
  const wanted = new Map<FacetName, Uint8Array>();
  for (const f of FACET_NAMES) {
    const v = filters[f];
    if (!Array.isArray(v) || !v.length) continue;
    const want = new Set(v.map((x) => (f === 'tag' ? x.toLowerCase() : x)));
    const codes = new Uint8Array(cols[f].size);
    for (let c = 0; c < codes.length; c++) {
      const label = cols[f].label(c);
      if (want.has(f === 'tag' ? label.toLowerCase() : label)) codes[c] = 1;
    }
    wanted.set(f, codes);
  }
  const dims: Dim[] = [...wanted.keys(), ...(filters.date ? (['date'] as const) : [])];
  return {
    dims,
    ok(d: Dim, p: number): boolean {
      if (d === 'date') {
        const t = ix.date[p]!;
        return t >= filters.date!.from && t < filters.date!.to;
      }
      const codes = wanted.get(d)!;
      let hit = false;
      cols[d].each(p, (c) => {
        if (codes[c]) hit = true;
      });
      return hit;
    },
  };
}

/** Ids passing every filter (null when there is no filter): used to narrow a search. */
export function filteredIds(ix: FacetIndex, filters: FacetFilters): Set<number> | null {
  const m = matcher(ix, filters, columnsOf(ix, ix.tags()));
  if (m.dims.length === 0) return null;
  const out = new Set<number>();
  for (let p = 0; p < ix.ids.length; p++) if (m.dims.every((d) => m.ok(d, p))) out.add(ix.ids[p]!);
  return out;
}

/** The index positions of `hits` (null: every message), in the order given; ids not in the index are left out. */
function positionsOf(ix: FacetIndex, hits: Iterable<number> | null): number[] {
  const out: number[] = [];
  if (hits === null) for (let p = 0; p < ix.ids.length; p++) out.push(p);
  else
    for (const id of hits) {
      const p = ix.pos.get(id);
      if (p !== undefined) out.push(p);
    }
  return out;
}

/**
 * Facet counts, timeline and sender × recipient matrix for the hits of a query (null: every message),
 * narrowed by the filters. One pass over the hits: a message failing exactly one filter still counts for
 * that filter's facet (multi-select facets show their alternatives), and the timeline ignores the date
 * filter so the brushed range is seen in context.
 */
export function computeFacets(ix: FacetIndex, hits: Iterable<number> | null, filters: FacetFilters, opts: { stackBy?: FacetName; unit?: FacetsResult['timeline']['unit'] } = {}): Omit<FacetsResult, 'tookMs'> {
  const cols = columnsOf(ix, ix.tags());
  const m = matcher(ix, filters, cols);
  const counts = Object.fromEntries(FACET_NAMES.map((f) => [f, new Float64Array(cols[f].size)])) as Record<FacetName, Float64Array>;
  const hitPositions = positionsOf(ix, hits);
  // No filter (the common case): every hit is in the result and on the timeline, without a test per message.
  const unfiltered = m.dims.length === 0;
  const inResult: number[] = unfiltered ? hitPositions : [];
  const onTimeline: number[] = unfiltered ? hitPositions : [];
  // Messages failing exactly one facet's filter: they count for that facet only.
  const failedOnly = new Map<FacetName, number[]>();
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
    } else if (failed === 'date') onTimeline.push(p);
    else {
      const list = failedOnly.get(failed);
      if (list) list.push(p);
      else failedOnly.set(failed, [p]);
    }
  };
  if (!unfiltered) for (const p of hitPositions) visit(p);
  for (const f of FACET_NAMES) {
    cols[f].count(inResult, counts[f]);
    const failed = failedOnly.get(f);
    if (failed) cols[f].count(failed, counts[f]);
  }

  const facets = Object.fromEntries(FACET_NAMES.map((f) => [f, top(counts[f], cols[f], filters[f] ?? [])])) as Record<FacetName, FacetValue[]>;

  // Timeline, stacked by the top values of one facet (a message counts under its first value).
  let series = ['messages'];
  let seriesOf = onTimeline.map(() => 0);
  if (opts.stackBy) {
    const col = cols[opts.stackBy];
    const stackTop = facets[opts.stackBy].slice(0, STACK_SERIES).map((v) => v.value);
    series = [...stackTop, 'other'];
    const slot = Array.from({ length: col.size }, (_, c) => {
      const i = stackTop.indexOf(col.label(c));
      return i < 0 ? stackTop.length : i;
    });
    seriesOf = onTimeline.map((p) => slot[col.first(p)] ?? stackTop.length);
  }
  const timeline = buildTimeline(onTimeline.map((p) => ix.date[p]!), seriesOf, series, opts.unit);

  // Who writes to whom, among the results.
  const senders = facets.sender.filter((v) => v.value !== '(no sender)').slice(0, MATRIX).map((v) => v.value);
  const recipients = facets.recipient.slice(0, MATRIX).map((v) => v.value);
  const rowOf = new Map(senders.map((s, i) => [s, i]));
  const colOf = new Map(recipients.map((r, j) => [r, j]));
  const senderRow = Array.from({ length: cols.sender.size }, (_, c) => rowOf.get(cols.sender.label(c)) ?? -1);
  const recipientCol = Array.from({ length: cols.recipient.size }, (_, c) => colOf.get(cols.recipient.label(c)) ?? -1);
  const grid = senders.map(() => recipients.map(() => 0));
  for (const p of inResult) {
    const s = senderRow[cols.sender.first(p)]!;
    if (s < 0) continue;
    cols.recipient.each(p, (c) => {
      const j = recipientCol[c]!;
      if (j >= 0) grid[s]![j]!++;
    });
  }
  return { total: inResult.length, facets, timeline, matrix: { senders, recipients, counts: grid } };
}

/** The most frequent values, and the chosen ones even when rare (so they can be un-chosen). */
function top(counts: Float64Array, col: Column, chosen: string[]): FacetValue[] {
  const byLabel = new Map<string, number>();
  for (let c = 0; c < counts.length; c++) if (counts[c]) byLabel.set(col.label(c), (byLabel.get(col.label(c)) ?? 0) + counts[c]!);
  const all = [...byLabel].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
  const out = all.slice(0, TOP);
  for (const c of chosen) if (!out.some((v) => v.value === c)) out.push({ value: c, count: byLabel.get(c) ?? 0 });
  return out;
}
