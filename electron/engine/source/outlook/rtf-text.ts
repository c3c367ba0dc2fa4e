/**
 * Plain text from an RTF body, for items whose only body is RTF. A small reader, not a renderer: it keeps
 * the text of the document's main destination, turns \par/\line/\tab into text, decodes \'hh (Windows-1252)
 * and \uN escapes, and skips font tables, styles, pictures and other ignorable destinations. Written here
 * because no kept npm package does only this without pulling in a document model; formatting is not needed
 * for search and reading.
 */

import iconv from 'iconv-lite';

const SKIP_DESTINATIONS = new Set(['fonttbl', 'colortbl', 'stylesheet', 'info', 'pict', 'object', 'header', 'footer', 'listtable', 'listoverridetable', 'rsidtbl', 'generator', 'xmlnstbl', 'themedata', 'colorschememapping', 'latentstyles', 'datastore', 'mmathPr']);

export function rtfToText(rtf: string): string {
  let out = '';
  const stack: { skip: boolean; uc: number }[] = [];
  let skip = false;
  let uc = 1;
  let pendingSkip = 0;
  let i = 0;
  const emit = (s: string) => {
    if (pendingSkip > 0) {
      pendingSkip--;
      return;
    }
    if (!skip) out += s;
  };
  while (i < rtf.length) {
    const c = rtf[i]!;
    if (c === '{') {
      stack.push({ skip, uc });
      i++;
      continue;
    }
    if (c === '}') {
      const top = stack.pop();
      if (top) ({ skip, uc } = top);
      i++;
      continue;
    }
    if (c === '\r' || c === '\n') {
      i++;
      continue;
    }
    if (c !== '\\') {
      emit(c);
      i++;
      continue;
    }
    const next = rtf[i + 1] ?? '';
    if (next === "'") {
      emit(iconv.decode(Buffer.from([parseInt(rtf.slice(i + 2, i + 4), 16) || 0x3f]), 'win1252'));
      i += 4;
      continue;
    }
    if (next === '*') {
      skip = true;
      i += 2;
      continue;
    }
    if (!/[a-zA-Z]/.test(next)) {
      // Control symbols: \\ \{ \} literal, \~ non-breaking space, others ignored.
      if (next === '\\' || next === '{' || next === '}') emit(next);
      else if (next === '~') emit('\u00a0');
      else if (next === '\n' || next === '\r') emit('\n');
      i += 2;
      continue;
    }
    const m = /^\\([a-zA-Z]+)(-?\d+)? ?/.exec(rtf.slice(i, i + 40))!;
    const [all, word, param] = m;
    i += all.length;
    pendingSkip = 0;
    if (SKIP_DESTINATIONS.has(word!)) skip = true;
    else if (word === 'par' || word === 'line' || word === 'sect' || word === 'row') emit('\n');
    else if (word === 'tab' || word === 'cell') emit('\t');
    else if (word === 'uc') uc = Number(param ?? 1);
    else if (word === 'u') {
      const n = Number(param ?? 0);
      emit(String.fromCharCode(n < 0 ? n + 65536 : n));
      pendingSkip = uc;
    } else if (word === 'htmlrtf') {
      // Encapsulated HTML: the \htmlrtf…\htmlrtf0 stretches are RTF-only renderings; keep the rest.
    }
  }
  return out.replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim() + '\n';
}
