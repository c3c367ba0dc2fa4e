import { isoDate } from './dates';
import { type DocMeta, type Extracted, LIMITS, TextSink } from './types';
import { leafValues, namedValues, walkXml } from './xml';
import { readZip } from './zip-entries';

const PARTS = /^(docProps\/(core|app|custom)\.xml|word\/(document|comments|footnotes|endnotes|header\d*|footer\d*)\.xml|xl\/(sharedStrings|worksheets\/sheet\d+|comments\d*)\.xml|ppt\/(slides\/slide\d+|notesSlides\/notesSlide\d+|commentAuthors|comments\/comment\d+)\.xml|(word|xl|ppt)\/embeddings\/.+)$/;

/** Office Open XML (docx/xlsx/pptx and macro variants): properties, text, comment and revision authors. */
export function extractOoxml(bytes: Uint8Array): Extracted {
  const parts = readZip(bytes, (n) => PARTS.test(n));
  const type = [...parts.keys()].some((n) => n.startsWith('xl/')) ? 'excel' : [...parts.keys()].some((n) => n.startsWith('ppt/')) ? 'powerpoint' : 'word';
  const meta = properties(parts);
  const text = new TextSink();
  const comments = new Set<string>();
  const revisions = new Set<string>();
  const names = [...parts.keys()].sort(naturalOrder);
  for (const name of names) {
    const xml = parts.get(name)!;
    if (/^word\/(document|footnotes|endnotes|header\d*|footer\d*)\.xml$/.test(name)) text.add(wordText(xml, revisions));
    else if (name === 'word/comments.xml') text.add(wordText(xml, revisions, comments));
    else if (name === 'xl/sharedStrings.xml') text.add(runText(xml, new Set(['t'])));
    else if (/^xl\/worksheets\//.test(name)) text.add(sheetValues(xml));
    else if (/^xl\/comments/.test(name)) authorsOf(xml, 'author', null, comments), text.add(runText(xml, new Set(['t'])));
    else if (/^ppt\/(slides|notesSlides)\//.test(name)) text.add(runText(xml, new Set(['t']), 'p'));
    else if (name === 'ppt/commentAuthors.xml') authorsOf(xml, 'cmAuthor', 'name', comments);
    else if (/^ppt\/comments\//.test(name)) text.add(runText(xml, new Set(['text'])));
  }
  if (comments.size) meta.commentAuthors = [...comments];
  if (revisions.size) meta.revisionAuthors = [...revisions];
  const children = names
    .filter((n) => /\/embeddings\//.test(n))
    .slice(0, LIMITS.maxChildren)
    .map((n) => ({ name: n.slice(n.lastIndexOf('/') + 1), bytes: parts.get(n)! }));
  const errors = text.truncated ? [{ code: 'text-truncated', message: `text longer than ${LIMITS.maxTextChars} characters; the start is kept` }] : [];
  return { type, meta, pages: [text.pages.filter(Boolean).join('\n\n')], errors, children };
}

function properties(parts: Map<string, Uint8Array>): DocMeta {
  const core = leafValues(parts.get('docProps/core.xml'));
  const app = leafValues(parts.get('docProps/app.xml'));
  const meta: DocMeta = {
    title: core.get('title'),
    subject: core.get('subject'),
    author: core.get('creator'),
    lastModifiedBy: core.get('lastModifiedBy'),
    keywords: core.get('keywords'),
    created: isoDate(core.get('created')),
    modified: isoDate(core.get('modified')),
    lastPrinted: isoDate(core.get('lastPrinted')),
    revision: core.get('revision'),
    language: core.get('language'),
    application: app.get('Application'),
    appVersion: app.get('AppVersion'),
    company: app.get('Company'),
    template: app.get('Template'),
  };
  const total = app.get('TotalTime');
  if (total && /^\d+$/.test(total)) meta.totalEditMinutes = Number(total);
  const pages = app.get('Pages') ?? app.get('Slides');
  if (pages && /^\d+$/.test(pages)) meta.pageCount = Number(pages);
  const custom = namedValues(parts.get('docProps/custom.xml'), 'property');
  if (custom) meta.custom = custom;
  return meta;
}

/** WordprocessingML text: w:t runs, tabs and breaks; authors of w:ins/w:del (and of comments). */
function wordText(xml: Uint8Array, revisions: Set<string>, comments?: Set<string>): string {
  let out = '';
  let inT = false;
  walkXml(xml, {
    open: (n, a) => {
      if (n === 't' || n === 'delText') inT = true;
      else if (n === 'tab') out += '\t';
      else if (n === 'br' || n === 'cr') out += '\n';
      if ((n === 'ins' || n === 'del') && a.author) revisions.add(a.author);
      if (n === 'comment' && a.author && comments) comments.add(a.author);
    },
    text: (t) => {
      if (inT) out += t;
    },
    close: (n) => {
      if (n === 't' || n === 'delText') inT = false;
      if (n === 'p') out += '\n';
    },
  });
  return out.trim();
}

/** Text of the given elements; a newline after each `para` element. */
function runText(xml: Uint8Array, elements: Set<string>, para = 'si'): string {
  let out = '';
  let depth = 0;
  walkXml(xml, {
    open: (n) => {
      if (elements.has(n)) depth++;
    },
    text: (t) => {
      if (depth > 0) out += t;
    },
    close: (n) => {
      if (elements.has(n)) depth--;
      if (n === para || n === 'si' || n === 'p') out += '\n';
      else if (elements.has(n)) out += ' ';
    },
  });
  return out.replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
}

/** Worksheet cells that are not shared strings (numbers, inline strings, formulas' cached values). */
function sheetValues(xml: Uint8Array): string {
  const vals: string[] = [];
  let cellType = '';
  let inV = false;
  walkXml(xml, {
    open: (n, a) => {
      if (n === 'c') cellType = a.t ?? '';
      if ((n === 'v' && cellType !== 's') || (n === 't' && cellType === 'inlineStr')) inV = true;
    },
    text: (t) => {
      if (inV) vals.push(t);
    },
    close: (n) => {
      if (n === 'v' || n === 't') inV = false;
    },
  });
  return vals.join(' ');
}

function authorsOf(xml: Uint8Array, element: string, attr: string | null, into: Set<string>): void {
  let inAuthor = false;
  walkXml(xml, {
    open: (n, a) => {
      if (n !== element) return;
      if (attr && a[attr]) into.add(a[attr]!);
      else if (!attr) inAuthor = true;
    },
    text: (t) => {
      if (inAuthor && t.trim()) into.add(t.trim());
    },
    close: (n) => {
      if (n === element) inAuthor = false;
    },
  });
}

function naturalOrder(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
