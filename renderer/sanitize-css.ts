/**
 * Remote references in mail CSS (a <style> block, a style attribute, or an SVG presentation attribute such
 * as fill="url(…)"): removed and counted. Mail uses them to track readers (a fetch per open).
 *
 * CSS escapes are decoded first, so `u\72l(` and `\75 rl(` are seen as `url(`; escapes that stand for a
 * character with a meaning in CSS or HTML (quotes, parentheses, `<`, …) stay escaped, because an escaped
 * `(` does not open a function and a decoded `</style>` would end the style element. Whatever still looks
 * like a fetching function after the rewrite makes the whole value go (counted once).
 */
export interface CleanCss {
  css: string;
  /** Remote references removed. */
  blocked: number;
}

const KEEP_ESCAPED = new Set([...'"\'\\()<>;{}:/*@,\n\r\f']);
const ESCAPE = /\\([0-9a-fA-F]{1,6})[ \t\n\r\f]?|\\\r?\n|\\([^\n0-9a-fA-F])/g;
/** url(…) and src(…), quoted or not. */
const URL_FN = /(?:url|src)\(\s*(?:"([^"]*)"|'([^']*)'|([^)"'\s]*))\s*\)/gi;
/** Functions whose string arguments are URLs: image-set("a.png" 1x), image("a.png"), cross-fade(…). */
const STRING_URL_FN = /(?:-webkit-|-moz-)?(?:image-set|image|cross-fade)\(([^()]*)\)/gi;
const IMPORT = /@import\b[^;]*;?/gi;
/** Legacy ways to run or fetch code from CSS (IE expressions and behaviors, Gecko XBL). */
const LEGACY = /expression\s*\([^)]*\)?|(?:behavior|-moz-binding)\s*:[^;}]*/gi;
const STILL_FETCHING = /(?:^|[^\w-])(?:url|src|image-set|image|cross-fade)\(|@import/i;

/** True for references that load nothing from elsewhere: inline images and same-document fragments. */
export function isLocalReference(url: string): boolean {
  const u = url.trim();
  return u === '' || u.startsWith('#') || /^data:image\//i.test(u);
}

export function sanitizeCss(input: string): CleanCss {
  let blocked = 0;
  let css = decodeEscapes(input).replace(/\/\*[\s\S]*?(?:\*\/|$)/g, ' ');
  css = css.replace(IMPORT, () => (blocked++, ''));
  css = css.replace(URL_FN, (m, dq?: string, sq?: string, bare?: string) => {
    if (isLocalReference(dq ?? sq ?? bare ?? '')) return m;
    blocked++;
    return 'none';
  });
  css = css.replace(STRING_URL_FN, (m, args: string) => {
    const remote = [...args.matchAll(/"([^"]*)"|'([^']*)'/g)].filter((s) => !isLocalReference(s[1] ?? s[2] ?? ''));
    if (remote.length === 0) return m;
    blocked += remote.length;
    return 'none';
  });
  css = css.replace(LEGACY, '');
  // Anything left that could still fetch (malformed, nested): drop the whole value.
  const withoutData = css.replace(URL_FN, '');
  if (STILL_FETCHING.test(withoutData.replace(STRING_URL_FN, ''))) return { css: '', blocked: blocked + 1 };
  return { css, blocked };
}

function decodeEscapes(css: string): string {
  return css.replace(ESCAPE, (m, hex?: string, ch?: string) => {
    if (hex === undefined && ch === undefined) return ''; // a backslash-newline continues a string
    const code = hex !== undefined ? parseInt(hex, 16) : ch!.codePointAt(0)!;
    const c = code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) ? '\ufffd' : String.fromCodePoint(code);
    return KEEP_ESCAPED.has(c) ? `\\${code.toString(16)} ` : c;
  });
}
