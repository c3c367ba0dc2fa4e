/**
 * The Casefile query language (close to notmuch / Gmail), parsed into a small AST:
 *
 *   words            all must match (AND), French/English stemming, accents ignored
 *   "exact phrase"   the words in this order (verified against the message text)
 *   -word  -"phr"    must not match          a OR b   either (binds tighter than AND, as in Gmail)
 *   ( … )            grouping
 *   from: to: cc: subject: body: filename:    the word / phrase in that field
 *   has:attachment   date:2017-04-01..2017-05-07   date:2017-05   before:2017-05-01   after:2017-04-01
 *   id:<Message-ID>  thread:<thread id>   tag:<name>
 *   camp*  c*gne     wildcards              macron~1  macron~2   fuzzy (edit distance)
 */

import { QueryError } from './query-error';
import { QUERY_LIMITS, QueryCostError } from './query-cost';

export type TextField = 'subject' | 'from' | 'to' | 'cc' | 'body' | 'filename';
export const TEXT_FIELDS: readonly TextField[] = ['subject', 'from', 'to', 'cc', 'body', 'filename'];

export type QueryNode =
  | { type: 'and'; items: QueryNode[] }
  | { type: 'or'; items: QueryNode[] }
  | { type: 'not'; item: QueryNode }
  | { type: 'term'; field: TextField | null; text: string; wildcard: boolean; fuzzy: number; source: string }
  | { type: 'phrase'; field: TextField | null; text: string; source: string }
  | { type: 'filter'; filter: Filter; source: string }
  | { type: 'all' };

export type Filter =
  | { kind: 'has-attachment' }
  /** Messages sharing their Message-ID with another, different message (a version). */
  | { kind: 'has-versions' }
  | { kind: 'date'; fromMs: number | null; toMs: number | null }
  | { kind: 'message-id'; value: string }
  | { kind: 'thread'; value: number }
  | { kind: 'tag'; value: string }
  /** dkim:pass, arc:fail, flag:date-after-first-hop — verdicts of the authenticity pass. */
  | { kind: 'auth'; term: string }
  /** author: modifiedby: app: type: doc: — metadata of extracted documents (documents/doc-filter.ts). */
  | { kind: 'document'; field: DocumentField; value: string };

export const DOCUMENT_FIELDS = ['author', 'modifiedby', 'app', 'type', 'doc'] as const;
export type DocumentField = (typeof DOCUMENT_FIELDS)[number];

export { QueryError };

type Tok = { kind: 'word' | 'phrase' | 'lparen' | 'rparen' | 'or' | 'and' | 'not'; text: string; field: string | null; negated: boolean; source: string };

const FILTER_FIELDS = new Set(['has', 'date', 'before', 'after', 'id', 'thread', 'tag', 'dkim', 'arc', 'flag', ...DOCUMENT_FIELDS]);
const DKIM_VALUES = ['pass', 'fail', 'body-ok', 'body-altered', 'no-key', 'unsupported', 'none', 'list-footer', 'caveat'];
const ARC_VALUES = ['pass', 'fail', 'none'];

export function parseQuery(input: string): QueryNode {
  const tokens = lex(input);
  if (tokens.length === 0) return { type: 'all' };
  let pos = 0;
  let depth = 0;
  let clauses = 0;
  const peek = () => tokens[pos];
  const isOp = (t: Tok | undefined) => t?.kind === 'or' || t?.kind === 'and';

  // As in Gmail, OR binds tighter than the implicit AND: "a OR b c" is (a OR b) AND c.
  const parseAnd = (): QueryNode => {
    const items: QueryNode[] = [];
    while (peek() && peek()!.kind !== 'rparen') {
      if (isOp(peek())) throw new QueryError(`${peek()!.text} needs a term before it (at "${peek()!.source}")`, peek()!.source);
      items.push(parseOr());
      // AND is what juxtaposition means already; it only has to stand between two terms.
      if (peek()?.kind === 'and') {
        const and = tokens[pos++]!;
        if (!peek() || peek()!.kind === 'rparen' || isOp(peek())) throw new QueryError(`AND needs a term after it (at "${and.source}")`, and.source);
      }
    }
    if (items.length === 0) {
      const t = peek();
      throw new QueryError(t ? `expected a term before "${t.source}"` : 'expected a term at the end of the query', t?.source ?? '');
    }
    return items.length === 1 ? items[0]! : { type: 'and', items };
  };

  const parseOr = (): QueryNode => {
    const items = [parseUnary()];
    while (peek()?.kind === 'or') {
      const or = tokens[pos++]!;
      if (!peek() || peek()!.kind === 'rparen' || isOp(peek())) throw new QueryError(`OR needs a term after it (at "${or.source}")`, or.source);
      items.push(parseUnary());
    }
    return items.length === 1 ? items[0]! : { type: 'or', items };
  };

  const parseUnary = (): QueryNode => {
    const t = tokens[pos++]!;
    let node: QueryNode;
    if (t.kind === 'not' || t.kind === 'lparen') {
      if (++depth > QUERY_LIMITS.maxDepth) throw new QueryCostError(`more than ${QUERY_LIMITS.maxDepth} nested parentheses or NOTs`, t.source);
      if (t.kind === 'not') {
        if (!peek() || peek()!.kind === 'rparen' || isOp(peek())) throw new QueryError(`NOT needs a term after it (at "${t.source}")`, t.source);
        node = { type: 'not', item: parseUnary() };
      } else {
        node = parseAnd();
        if (peek()?.kind !== 'rparen') throw new QueryError(`unbalanced parenthesis: "(" at "${t.source}" is never closed`, t.source);
        pos++;
      }
      depth--;
    } else {
      if (++clauses > QUERY_LIMITS.maxClauses) throw new QueryCostError(`more than ${QUERY_LIMITS.maxClauses.toLocaleString('en')} words and filters`, t.source);
      node = leaf(t);
    }
    return t.negated ? { type: 'not', item: node } : node;
  };

  const node = parseAnd();
  if (pos < tokens.length) {
    const t = tokens[pos]!;
    throw new QueryError(`unexpected "${t.source}"${t.kind === 'rparen' ? ' (unbalanced parenthesis)' : ''}`, t.source);
  }
  return node;
}

function lex(input: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    let negated = false;
    if (c === '-' && i + 1 < input.length && !/\s/.test(input[i + 1]!)) {
      negated = true;
      i++;
    }
    if (input[i] === '(') {
      out.push({ kind: 'lparen', text: '(', field: null, negated, source: input.slice(start, i + 1) });
      i++;
      continue;
    }
    if (input[i] === ')') {
      if (negated) throw new QueryError(`"-" must be followed by a term, not ")"`, input.slice(start, i + 1));
      out.push({ kind: 'rparen', text: ')', field: null, negated: false, source: ')' });
      i++;
      continue;
    }
    // field: prefix
    let field: string | null = null;
    const fm = /^([a-zA-Z]+):/.exec(input.slice(i));
    if (fm) {
      field = fm[1]!.toLowerCase();
      i += fm[0].length;
    }
    if (input[i] === '"') {
      const close = input.indexOf('"', i + 1);
      if (close === -1) throw new QueryError(`unclosed quote in ${input.slice(start)}`, input.slice(start));
      out.push({ kind: 'phrase', text: input.slice(i + 1, close), field, negated, source: input.slice(start, close + 1) });
      i = close + 1;
      continue;
    }
    let j = i;
    while (j < input.length && !/[\s()"]/.test(input[j]!)) j++;
    const text = input.slice(i, j);
    const source = input.slice(start, j);
    if (!text) throw new QueryError(field ? `"${source}" needs a value after the colon` : `"-" must be followed by a term`, source || input.slice(start, start + 1));
    if ((text === 'OR' || text === 'AND' || text === 'NOT') && !field && !negated) out.push({ kind: text === 'OR' ? 'or' : text === 'AND' ? 'and' : 'not', text, field, negated, source });
    else out.push({ kind: 'word', text, field, negated, source });
    i = j;
  }
  return out;
}

function leaf(t: Tok): QueryNode {
  if (t.kind === 'or' || t.kind === 'and') throw new QueryError(`${t.text} needs a term on both sides`, t.source);
  if (t.kind === 'rparen') throw new QueryError('unbalanced parenthesis', t.source);
  const field = t.field;
  if (field && FILTER_FIELDS.has(field)) return { type: 'filter', filter: parseFilter(field, t.text, t.source), source: t.source };
  if (field && !(TEXT_FIELDS as readonly string[]).includes(field)) {
    throw new QueryError(`unknown field "${field}:" in "${t.source}" (fields: ${[...TEXT_FIELDS, ...FILTER_FIELDS].join(', ')})`, t.source);
  }
  const textField = field as TextField | null;
  if (t.kind === 'phrase') {
    if (!t.text.trim()) throw new QueryError(`empty phrase ${t.source}`, t.source);
    if (t.text.length > QUERY_LIMITS.maxPhraseLength) throw new QueryCostError(`a phrase longer than ${QUERY_LIMITS.maxPhraseLength} characters`, t.source);
    return { type: 'phrase', field: textField, text: t.text, source: t.source };
  }
  if (t.text.length > QUERY_LIMITS.maxTermLength + 2) {
    throw new QueryCostError(`"${t.source.slice(0, 40)}…" is longer than ${QUERY_LIMITS.maxTermLength} characters (no indexed word is)`, t.source);
  }
  const fuzzyMatch = /^(.+)~(\d*)$/.exec(t.text);
  if (fuzzyMatch) {
    const d = fuzzyMatch[2] === '' ? 1 : Number(fuzzyMatch[2]);
    if (d < 1 || d > 2) throw new QueryError(`fuzzy distance must be 1 or 2 in "${t.source}"`, t.source);
    return { type: 'term', field: textField, text: fuzzyMatch[1]!, wildcard: false, fuzzy: d, source: t.source };
  }
  if (/^\*+$/.test(t.text)) throw new QueryError(`a wildcard needs at least one letter in "${t.source}"`, t.source);
  return { type: 'term', field: textField, text: t.text, wildcard: t.text.includes('*'), fuzzy: 0, source: t.source };
}

function parseFilter(field: string, value: string, source: string): Filter {
  switch (field) {
    case 'has':
      if (/^attachments?$/i.test(value)) return { kind: 'has-attachment' };
      if (/^versions?$/i.test(value)) return { kind: 'has-versions' };
      throw new QueryError(`unknown value in "${source}" (use has:attachment or has:versions)`, source);
    case 'id':
      return { kind: 'message-id', value: value.replace(/^<|>$/g, '') };
    case 'thread': {
      const n = Number(value);
      if (!Number.isInteger(n) || n <= 0) throw new QueryError(`thread id must be a positive number in "${source}"`, source);
      return { kind: 'thread', value: n };
    }
    case 'tag':
      return { kind: 'tag', value };
    case 'dkim':
    case 'arc': {
      const allowed = field === 'dkim' ? DKIM_VALUES : ARC_VALUES;
      const v = value.toLowerCase();
      if (!allowed.includes(v)) throw new QueryError(`unknown value in "${source}" (${field}: takes ${allowed.join(', ')})`, source);
      return { kind: 'auth', term: `${field}:${v}` };
    }
    case 'flag':
      if (!/^[a-z0-9-]+$/i.test(value)) throw new QueryError(`bad flag name in "${source}"`, source);
      return { kind: 'auth', term: `flag:${value.toLowerCase()}` };
    case 'author':
    case 'modifiedby':
    case 'app':
    case 'type':
    case 'doc':
      return { kind: 'document', field, value };
    case 'before':
      return { kind: 'date', fromMs: null, toMs: dayRange(value, source)[0] };
    case 'after':
      return { kind: 'date', fromMs: dayRange(value, source)[1], toMs: null };
    case 'date': {
      const range = /^(.*)\.\.(.*)$/.exec(value);
      if (range) {
        return {
          kind: 'date',
          fromMs: range[1] ? dayRange(range[1], source)[0] : null,
          toMs: range[2] ? dayRange(range[2], source)[1] : null,
        };
      }
      const [from, to] = dayRange(value, source);
      return { kind: 'date', fromMs: from, toMs: to };
    }
  }
  throw new QueryError(`unknown field "${field}:"`, source);
}

/** [start, end) in UTC ms of a YYYY, YYYY-MM or YYYY-MM-DD value. */
function dayRange(value: string, source: string): [number, number] {
  const m = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/.exec(value);
  if (!m) throw new QueryError(`bad date "${value}" in "${source}" (use YYYY-MM-DD, YYYY-MM or YYYY)`, source);
  const y = Number(m[1]);
  const mo = m[2] ? Number(m[2]) : null;
  const d = m[3] ? Number(m[3]) : null;
  if ((mo !== null && (mo < 1 || mo > 12)) || (d !== null && (d < 1 || d > 31))) throw new QueryError(`bad date "${value}" in "${source}"`, source);
  const start = Date.UTC(y, (mo ?? 1) - 1, d ?? 1);
  if (d !== null && new Date(start).getUTCDate() !== d) throw new QueryError(`bad date "${value}" in "${source}"`, source);
  const end = d !== null ? Date.UTC(y, mo! - 1, d + 1) : mo !== null ? Date.UTC(y, mo, 1) : Date.UTC(y + 1, 0, 1);
  return [start, end];
}
