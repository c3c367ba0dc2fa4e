import lunr from 'lunr';
// lunr-languages are UMD modules that extend the lunr object they are given.
import stemmerSupport from 'lunr-languages/lunr.stemmer.support.js';
import french from 'lunr-languages/lunr.fr.js';
import { BoundedMemo } from '../util/bounded-memo';

stemmerSupport(lunr);
french(lunr);
const lunrFr = (lunr as any).fr as { stemmer: lunr.PipelineFunction; stopWordFilter: lunr.PipelineFunction };

/**
 * Text analysis shared by indexing and querying, for French and English mail:
 * - accents folded and ligatures expanded (elysee finds Élysée, oeuvre finds œuvre);
 * - French elisions stripped (l', d', qu', j', m', n', s', t', c', with ' or ’);
 * - e-mail addresses, domains and hyphenated or dotted words indexed whole and as parts;
 * - stop words of both languages removed;
 * - each word indexed under its English and its French stem (not one stemmer after the other, which
 *   mangles words of the other language); a query word matches either stem.
 */

/** Splits text into candidate tokens; keeps @ . - ' _ inside tokens so addresses stay whole. */
export const TOKEN_SEPARATOR = /[\s\u00a0\u2000-\u200b\u2028\u2029,;:!?()[\]{}"«»<>|*/\\=+~^`#$%&\u2018\u201c\u201d]+/;

const ELISION = /^(?:l|d|qu|j|m|n|s|t|c|jusqu|lorsqu|puisqu|quoiqu)['’]/;
const EDGE_PUNCT = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;
const COMPOUND_PARTS = /[@.\-_'’]+/;
const NOT_ASCII = /[^\x00-\x7f]/;

export function fold(text: string): string {
  const lower = text.toLowerCase();
  // ASCII text has nothing to fold but its case (no ligature, no decomposition, no combining mark): the index
  // worker folds every message body for its phrase-pair filter, and much mail is ASCII (issue 15).
  if (!NOT_ASCII.test(lower)) return lower;
  return lower
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');
}

/**
 * Word analysis is the hot path of indexing, and mail vocabulary is Zipfian: a small memo of recent
 * results saves most of the folding and both stemmers.
 */
const normalizeMemo = new BoundedMemo<string>(200_000);
const stemMemo = new BoundedMemo<string[]>(200_000);

/** Fold, strip an elision, trim punctuation at the ends. Empty string when nothing is left. */
export function normalizeWord(word: string): string {
  return normalizeMemo.get(word, (w) => fold(w).replace(ELISION, '').replace(EDGE_PUNCT, ''));
}

/** The stems a (normalized) word is indexed under; empty for stop words. */
export function stemsOf(word: string): string[] {
  if (!word) return [];
  return stemMemo.get(word, (w) => {
    if (isStopWord(w)) return [];
    const en = stem(lunr.stemmer, w);
    const fr = stem(lunrFr.stemmer, w);
    return en === fr ? [en] : [en, fr];
  });
}

export function isStopWord(word: string): boolean {
  const t = new lunr.Token(word, {});
  return apply(lunr.stopWordFilter, t) == null || apply(lunrFr.stopWordFilter, t) == null;
}

// Pipeline functions are called with (token, index, tokens) by lunr; stemmers and filters ignore the rest.
function apply(fn: lunr.PipelineFunction, token: lunr.Token): lunr.Token | lunr.Token[] | null | undefined {
  return fn(token, 0, [token]);
}

function stem(fn: lunr.PipelineFunction, word: string): string {
  return String(apply(fn, new lunr.Token(word, {})));
}

// --- Index pipeline -----------------------------------------------------------------------------

/** Longer "words" are encoded junk (base64, PGP armour, uuencode): costly to stem, useless to search. */
export const MAX_TOKEN_LENGTH = 100;

const normalizeToken: lunr.PipelineFunction = (token) => {
  if (token.toString().length > MAX_TOKEN_LENGTH) return null;
  const s = normalizeWord(token.toString());
  return s ? token.update(() => s) : null;
};

/** "jean.dupont@en-marche.fr" → itself, "jean.dupont", "en-marche.fr", and jean, dupont, en, marche, fr. */
const expandCompounds: lunr.PipelineFunction = (token) => {
  const s = token.toString();
  if (!COMPOUND_PARTS.test(s)) return token;
  const out = new Set<string>([s]);
  const at = s.indexOf('@');
  if (at > 0) {
    out.add(s.slice(0, at));
    out.add(s.slice(at + 1));
  }
  for (const part of s.split(COMPOUND_PARTS)) if (part) out.add(part);
  return [...out].map((p) => token.clone(() => p));
};

const stemBoth: lunr.PipelineFunction = (token) => {
  const stems = stemsOf(token.toString());
  if (stems.length === 0) return null;
  return stems.map((s) => token.clone(() => s));
};

lunr.Pipeline.registerFunction(normalizeToken, 'casefile-normalize');
lunr.Pipeline.registerFunction(expandCompounds, 'casefile-compounds');
lunr.Pipeline.registerFunction(stemBoth, 'casefile-stem-en-fr');

/** The index pipeline, as lunr.Builder runs it on each field's tokens (shard-builder.ts runs it too). */
const INDEX_PIPELINE = [normalizeToken, expandCompounds, stemBoth];

export function indexPipeline(): lunr.Pipeline {
  const p = new lunr.Pipeline();
  p.add(...INDEX_PIPELINE);
  return p;
}

/**
 * Configure a lunr.Builder with our tokenizer and pipeline (no positions stored: smaller shards). Shards are
 * built by ShardBuilder (shard-builder.ts); a lunr.Builder configured here is its reference in tests.
 */
export function configureBuilder(builder: lunr.Builder): void {
  builder.pipeline.reset();
  builder.searchPipeline.reset();
  builder.pipeline.add(...INDEX_PIPELINE);
  builder.metadataWhitelist = [];
}

export function tokenize(text: string): string[] {
  return text.split(TOKEN_SEPARATOR).filter(Boolean);
}

// lunr's tokenizer uses this separator for every field it indexes.
(lunr.tokenizer as unknown as { separator: RegExp }).separator = TOKEN_SEPARATOR;

export { lunr };
