import iconv from 'iconv-lite';
import { type DocMeta, type Extracted, LIMITS, TextSink } from './types';

/**
 * RTF: the text and the \info group, 8-bit text decoded in the document's \ansicpg code page.
 * A small tokenizer of our own: the npm RTF packages either render HTML, ignore \ansicpg, or drop \info;
 * for text and metadata the grammar needed is small (groups, control words, \'hh, \uN with \ucN).
 */
const SKIP = new Set(['fonttbl', 'colortbl', 'stylesheet', 'pict', 'object', 'header', 'footer', 'listtable', 'listoverridetable', 'rsidtbl', 'themedata', 'colorschememapping', 'latentstyles', 'datastore', 'xmlnstbl', 'generator', 'fldinst', 'filetbl', 'revtbl', 'pgdsctbl', 'sp', 'shprslt']);
const SYMBOLS: Record<string, string> = { rquote: '\u2019', lquote: '\u2018', rdblquote: '\u201d', ldblquote: '\u201c', emdash: '\u2014', endash: '\u2013', bullet: '\u2022', emspace: ' ', enspace: ' ' };
const INFO_TEXT: Record<string, keyof DocMeta> = { title: 'title', subject: 'subject', author: 'author', operator: 'lastModifiedBy', keywords: 'keywords', company: 'company' };
const INFO_TIME: Record<string, keyof DocMeta> = { creatim: 'created', revtim: 'modified', printim: 'lastPrinted' };

interface Group {
  skip: boolean;
  dest: string | null;
  uc: number;
}

export function extractRtf(bytes: Uint8Array): Extracted {
  const src = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  let codePage = 1252;
  const meta: DocMeta = {};
  const sink = new TextSink();
  let body = '';
  let infoText = '';
  let time: Record<string, number> = {};
  const stack: Group[] = [];
  let g: Group = { skip: false, dest: null, uc: 1 };
  let pendingBytes: number[] = [];
  let skipChars = 0;
  let firstInGroup = false;

  const flushBytes = () => {
    if (pendingBytes.length === 0) return;
    const enc = `cp${codePage}`;
    const text = iconv.encodingExists(enc) ? iconv.decode(Buffer.from(pendingBytes), enc) : Buffer.from(pendingBytes).toString('latin1');
    pendingBytes = [];
    emit(text);
  };
  const emit = (t: string) => {
    if (g.skip) return;
    if (g.dest === 'info-field') infoText += t;
    else if (g.dest === null && body.length < LIMITS.maxTextChars) body += t;
  };

  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '{' || c === '}') {
      flushBytes();
      if (c === '{') {
        stack.push(g);
        g = { ...g };
        firstInGroup = true;
      } else {
        if (g.dest === 'info-field' && g.skip === false) {
          const key = (g as any).field as string;
          const v = infoText.trim();
          if (v && INFO_TEXT[key]) (meta as any)[INFO_TEXT[key]] = v;
          infoText = '';
        }
        if ((g as any).timeField) {
          const iso = rtfTime(time);
          if (iso) (meta as any)[INFO_TIME[(g as any).timeField]!] = iso;
          time = {};
        }
        if (stack.length > 0) g = stack.pop()!;
        if (stack.length > 200) g.skip = true;
      }
      continue;
    }
    if (c === '\\') {
      const next = src[i + 1];
      if (next === "'") {
        const hex = parseInt(src.substr(i + 2, 2), 16);
        i += 3;
        if (skipChars > 0) {
          skipChars--;
          continue;
        }
        if (!Number.isNaN(hex)) pendingBytes.push(hex);
        continue;
      }
      flushBytes();
      if (next === '*') {
        // Unknown destination: ignorable by definition; but a shape's instance holds text boxes (\shptxt).
        if (!/^\*\s*\\shpinst\b/.test(src.slice(i + 1, i + 12))) g.skip = true;
        i++;
        continue;
      }
      if (next === '\\' || next === '{' || next === '}') {
        emit(next);
        i++;
        continue;
      }
      if (next === '~') emit('\u00a0');
      if (next === '\n' || next === '\r') emit('\n');
      const m = /^([a-zA-Z]{1,32})(-?\d{1,10})? ?/.exec(src.slice(i + 1, i + 45));
      if (!m) {
        i++;
        continue;
      }
      i += m[0].length;
      const word = m[1]!;
      const arg = m[2] !== undefined ? Number(m[2]) : null;
      const wasFirst = firstInGroup;
      firstInGroup = false;
      if (word === 'ansicpg' && arg) codePage = arg;
      else if (word === 'uc' && arg !== null) g.uc = arg;
      else if (word === 'u' && arg !== null) {
        emit(String.fromCharCode(arg < 0 ? arg + 65536 : arg));
        skipChars = g.uc;
      } else if (word === 'par' || word === 'line' || word === 'row' || word === 'sect' || word === 'page') emit('\n');
      else if (word === 'tab' || word === 'cell') emit('\t');
      else if (SYMBOLS[word]) emit(SYMBOLS[word]!);
      else if (wasFirst && SKIP.has(word)) g.skip = true;
      else if (wasFirst && word === 'info') g.dest = 'info';
      else if (g.dest === 'info' && INFO_TEXT[word]) {
        g.dest = 'info-field';
        (g as any).field = word;
        infoText = '';
      } else if (g.dest === 'info' && INFO_TIME[word]) (g as any).timeField = word;
      else if (g.dest === 'info' && /^(yr|mo|dy|hr|min|sec)$/.test(word) && arg !== null) time[word] = arg;
      else if (g.dest === 'info' && word === 'version' && arg !== null) meta.revision = String(arg);
      else if (g.dest === 'info' && word === 'edmins' && arg !== null) meta.totalEditMinutes = arg;
      else if (g.dest === 'info' && word === 'nofpages' && arg !== null) meta.pageCount = arg;
      continue;
    }
    if (c === '\r' || c === '\n') continue;
    if (skipChars > 0) {
      skipChars--;
      continue;
    }
    const code = c.charCodeAt(0);
    if (code >= 0x80) pendingBytes.push(code);
    else {
      flushBytes();
      emit(c);
    }
  }
  flushBytes();
  meta.codePage = codePage;
  sink.add(body.replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim());
  const errors = body.length >= LIMITS.maxTextChars ? [{ code: 'text-truncated', message: `text longer than ${LIMITS.maxTextChars} characters; the start is kept` }] : [];
  return { type: 'word', meta, pages: sink.pages, errors };
}

/** \info times are local to the author's machine: no zone is written, none is invented. */
function rtfTime(t: Record<string, number>): string | undefined {
  if (!t.yr) return undefined;
  const p = (n: number | undefined) => String(n ?? 0).padStart(2, '0');
  return `${String(t.yr).padStart(4, '0')}-${p(t.mo ?? 1)}-${p(t.dy ?? 1)}T${p(t.hr)}:${p(t.min)}:${p(t.sec)}`;
}
