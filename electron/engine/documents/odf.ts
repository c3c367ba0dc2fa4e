import { isoDate } from './dates';
import { type DocMeta, type Extracted, LIMITS, TextSink } from './types';
import { leafValues, namedValues, walkXml } from './xml';
import { readZip } from './zip-entries';

const BLOCKS = new Set(['p', 'h', 'table-row', 'list-item', 'frame']);

/** OpenDocument (odt/ods/odp): meta.xml and the text of content.xml. */
export function extractOdf(bytes: Uint8Array): Extracted {
  const parts = readZip(bytes, (n) => n === 'meta.xml' || n === 'content.xml' || n === 'mimetype');
  const mime = parts.get('mimetype') ? new TextDecoder().decode(parts.get('mimetype')) : '';
  const type = /spreadsheet/.test(mime) ? 'excel' : /presentation/.test(mime) ? 'powerpoint' : 'word';
  const m = leafValues(parts.get('meta.xml'));
  const meta: DocMeta = {
    title: m.get('title'),
    subject: m.get('subject'),
    keywords: m.get('keyword'),
    author: m.get('initial-creator'),
    lastModifiedBy: m.get('creator'),
    created: isoDate(m.get('creation-date')),
    modified: isoDate(m.get('date')),
    lastPrinted: isoDate(m.get('print-date')),
    revision: m.get('editing-cycles'),
    application: m.get('generator'),
    language: m.get('language'),
  };
  const dur = /^P(?:(\d+)D)?T?(?:(\d+)H)?(?:(\d+)M)?/.exec(m.get('editing-duration') ?? '');
  if (dur && (dur[1] || dur[2] || dur[3])) meta.totalEditMinutes = Number(dur[1] ?? 0) * 1440 + Number(dur[2] ?? 0) * 60 + Number(dur[3] ?? 0);
  const pageCount = metaAttr(parts.get('meta.xml'), 'document-statistic', 'page-count');
  if (pageCount) meta.pageCount = Number(pageCount);
  const custom = namedValues(parts.get('meta.xml'), 'user-defined');
  if (custom) meta.custom = custom;
  const sink = new TextSink();
  let out = '';
  const content = parts.get('content.xml');
  if (content) {
    let depth = 0;
    let changes = 0;
    let inCreator = false;
    const authors = new Set<string>();
    walkXml(content, {
      open: (n, _a, q) => {
        if (n === 'body') depth++;
        // Tracked changes: their authors are metadata, their bookkeeping is not text.
        if (n === 'tracked-changes') changes++;
        if (changes > 0 && q === 'dc:creator') inCreator = true;
        if (n === 'tab') out += '\t';
        if (n === 's') out += ' ';
        if (n === 'line-break') out += '\n';
      },
      text: (t) => {
        if (inCreator && t.trim()) authors.add(t.trim());
        else if (depth > 0 && changes === 0) out += t;
      },
      close: (n, q) => {
        if (n === 'body') depth--;
        if (n === 'tracked-changes') changes--;
        if (q === 'dc:creator') inCreator = false;
        if (BLOCKS.has(n)) out += '\n';
        if (n === 'table-cell') out += '\t';
      },
    });
    if (authors.size) meta.revisionAuthors = [...authors];
  }
  sink.add(out.replace(/\n{3,}/g, '\n\n').trim());
  const errors = sink.truncated ? [{ code: 'text-truncated', message: `text longer than ${LIMITS.maxTextChars} characters; the start is kept` }] : [];
  return { type, meta, pages: sink.pages, errors };
}

function metaAttr(xml: Uint8Array | undefined, element: string, attr: string): string | undefined {
  let v: string | undefined;
  if (xml) walkXml(xml, { open: (n, a) => void (n === element && a[attr] && (v = a[attr])) });
  return v;
}

