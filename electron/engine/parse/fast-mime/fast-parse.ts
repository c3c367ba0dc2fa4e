import { createRequire } from 'node:module';
import libmime from 'libmime';
import { MailParser, type HeaderValue } from 'mailparser';
import { decodeText, transferDecode } from './body-decode';
import { reject, splitMime, type MimeTreeNode } from './mime-tree';

/**
 * A lighter MIME path beside mailparser (issue 15): the same headers, text, HTML and attachments that
 * mailparser's streaming parser gives, computed from the whole message buffer without its per-line
 * streams. Header values come from mailparser's own processHeaders and mailsplit's MimeNode, HTML to
 * text from the same html-to-text call, so only splitting and decoding are re-done here. Returns null
 * for anything it does not reproduce exactly; the caller then parses with mailparser.
 * test/unit/fast-mime-equivalence.test.ts holds it to mailparser on every corpus message.
 */

export interface FastAttachment {
  content: Buffer;
  contentType: string;
  filename: string | false;
  /** mailsplit's disposition as written (mailparser's contentDisposition). */
  disposition: string | false;
  contentId: string | undefined;
}

export interface FastParse {
  headers: Map<string, HeaderValue>;
  /** mailparser's `text` ('' when it has none) and `html` (undefined when it has none). */
  text: string;
  html: string | undefined;
  attachments: FastAttachment[];
}

const require = createRequire(import.meta.url);
// The CommonJS html-to-text mailparser itself loads (same module instance, same defaults).
const { htmlToText } = require('html-to-text') as { htmlToText: (html: string, options: object) => string };

/** Largest message tried; larger ones stream through mailparser. */
const MAX_BYTES = 8 * 1024 * 1024;
/** mailparser's MAILPARSER_OPTIONS.maxHtmlLengthToParse and html-to-text nesting limit. */
const MAX_HTML = 4 * 1024 * 1024;
const MAX_HTML_DEPTH = 1000;
const TEXT_TYPES = ['text/plain', 'text/html', 'message/delivery-status'];

/** Used only for its header processing (stateless): mailparser's processHeaders is the reference. */
let headerParser: any = null;
/** The headers the record is built from (parse-message.ts buildRecord); mailparser treats each line on its own. */
const RECORD_HEADERS = new Set(['from', 'to', 'cc', 'bcc', 'reply-to', 'subject', 'message-id', 'in-reply-to', 'references', 'content-id']);
function processHeaders(node: any): Map<string, HeaderValue> {
  headerParser ??= recordHeaderParser();
  const lines = node.headers.getList();
  // Only the lines the record reads (Received, DKIM and the rest cost most of the time). When that map
  // is empty, all of them: the record tells "no headers" from "headers without these" by its size.
  const needed = lines.filter((l: { key: string }) => RECORD_HEADERS.has(l.key));
  const headers: Map<string, HeaderValue> = headerParser.processHeaders(needed);
  return headers.size > 0 || needed.length === lines.length ? headers : headerParser.processHeaders(lines);
}

/**
 * A MailParser whose processHeaders gives the values the record reads, with less work (issue 15): the HTML
 * and text renderings of address lists are left empty (the record reads the parsed addresses, never those),
 * and libmime's decodeWords returns a string holding no "=?" (no encoded word) and no join marker as it is,
 * which is what its five replace() passes give for such a string (each needs "=?" or the marker to match).
 * Only this private instance is changed; test/unit/fast-mime-equivalence.test.ts compares the records.
 */
function recordHeaderParser(): any {
  const parser: any = new MailParser();
  parser.getAddressesHTML = () => '';
  parser.getAddressesText = () => '';
  const lm = parser.libmime;
  const decodeWords = lm.decodeWords;
  lm.decodeWords = function (str: unknown) {
    return typeof str === 'string' && !str.includes('=?') && !str.includes(JOIN_MARKER) ? str : decodeWords.call(this, str);
  };
  return parser;
}
/** libmime's marker between encoded words it joins (decodeWords removes it wherever it appears). */
const JOIN_MARKER = '__\x00JOIN\x00__';

/** CASEFILE_FAST_MIME=0 turns the fast path off (benchmarks compare both). */
export function fastMimeEnabled(): boolean {
  return process.env.CASEFILE_FAST_MIME !== '0';
}

export function fastParse(input: Buffer): FastParse | null {
  if (input.length > MAX_BYTES) return null;
  try {
    const tree = splitMime(input);
    return tree ? new Walk().run(tree) : null;
  } catch {
    // reject() (not a case reproduced exactly) or any other failure: mailparser parses it.
    return null;
  }
}

class Walk {
  private hasText = false;
  private hasHtml = false;
  private readonly attachments: FastAttachment[] = [];
  private readonly texts = new Map<MimeTreeNode, string>();

  run(tree: MimeTreeNode): FastParse {
    const headers = processHeaders(tree.node);
    this.visit(tree);
    const { text, html } = this.textContent(tree);
    return { headers, text, html, attachments: this.attachments };
  }

  /** mailparser's createNode + processChunk('node') for each part, in document order. */
  private visit(tree: MimeTreeNode): void {
    const node = tree.node;
    if (node.multipart) {
      for (const child of tree.children) this.visit(child);
      return;
    }
    let contentType: string = node.contentType || (tree.root ? 'text/plain' : '');
    let disposition: string | false = node.disposition;
    if (disposition && disposition !== 'attachment' && disposition !== 'inline') disposition = 'attachment';
    const nodeDisposition = !disposition && !TEXT_TYPES.includes(contentType) ? 'attachment' : disposition || 'inline';
    const isAttachment = !TEXT_TYPES.includes(contentType) || nodeDisposition !== 'inline';
    const content = transferDecode(node.encoding, tree.body!);
    if (!content) reject();
    if (isAttachment) {
      if (contentType === 'application/octet-stream' && node.filename) contentType = libmime.detectMimeType(node.filename) || 'application/octet-stream';
      const contentId = processHeaders(node).get('content-id');
      this.attachments.push({
        content,
        contentType,
        filename: node.filename,
        disposition: node.disposition,
        contentId: contentId ? [].concat(contentId as any).shift() : undefined,
      });
      return;
    }
    if (contentType === 'text/plain') this.hasText = true;
    else if (contentType === 'text/html') this.hasHtml = true;
    else reject(); // message/delivery-status
    const text = decodeText(node.flowed ? unflow(content, node.delSp) : content, node.charset);
    if (text === null) reject();
    this.texts.set(tree, text);
  }

  /** mailparser's getTextContent (no message/rfc822 parts here, so no meta blocks). */
  private textContent(tree: MimeTreeNode): { text: string; html: string | undefined } {
    const text: string[] = [];
    const html: string[] = [];
    const walk = (alternative: boolean, node: MimeTreeNode) => {
      const content = this.texts.get(node);
      const type = node.node.contentType || (node.root ? 'text/plain' : '');
      if (content) {
        if (type === 'text/plain') {
          text.push(content);
          // mailparser's textToHtml, which returns '' with skipTextToHtml.
          if (!alternative && this.hasHtml) html.push('');
        } else if (type === 'text/html') {
          if ((!alternative && this.hasText) || (node.root && !this.hasText)) text.push(htmlText(content));
          html.push(content);
        }
      }
      alternative = alternative || type === 'multipart/alternative';
      for (const child of node.children) walk(alternative, child);
    };
    walk(false, tree);
    const joinedHtml = html.length ? html.join('<br/>\n') : undefined;
    if (joinedHtml !== undefined && joinedHtml.length > MAX_HTML) reject();
    return { text: text.length ? text.join('\n') : '', html: joinedHtml };
  }
}

/** mailsplit's FlowedDecoder (it collects the whole part, then calls libmime's decodeFlowed). */
function unflow(bytes: Buffer, delSp: boolean): Buffer {
  return bytes.length ? Buffer.from(libmime.decodeFlowed(bytes.toString('binary'), delSp), 'binary') : bytes;
}

/**
 * mailparser's html-to-text call. Its length and nesting-depth refusals are not re-implemented: HTML
 * that could reach them (over 4 MiB, or with more than 1,000 tags, the most a depth count can reach)
 * goes to mailparser.
 */
function htmlText(html: string): string {
  if (html.length > MAX_HTML) reject();
  let tags = 0;
  for (let i = html.indexOf('<'); i >= 0; i = html.indexOf('<', i + 1)) if (++tags > MAX_HTML_DEPTH) reject();
  // A converter error, like reject(), ends in fastParse's catch: mailparser parses the message.
  return htmlToText(html, { limits: { maxDepth: MAX_HTML_DEPTH } });
}
