import { createRequire } from 'node:module';

/**
 * Splits a whole message buffer into its MIME tree the way mailsplit (mailparser's splitter) does, for
 * well-formed messages only. Each node's header block is parsed by mailsplit's own MimeNode, so content
 * type, charset, transfer encoding, disposition, filename and boundary are mailsplit's by construction;
 * only the line-by-line stream splitting (the measured cost) is replaced by indexOf over the buffer.
 * Anything outside the plain case returns null and the caller uses mailparser: delimiter lines in a
 * header block, a closing delimiter in a preamble, a multipart never closed, an inner multipart closed
 * by an outer delimiter, message/* parts, a lone CR in front of a delimiter, too many parts or levels.
 */

const require = createRequire(import.meta.url);
// mailparser's own splitter; no type declarations are shipped for its lib files.
const MimeNode = require('@zone-eu/mailsplit/lib/mime-node.js');

const MAX_PARTS = 200;
const MAX_DEPTH = 6;
/** Header lines cost at least 64 bytes each against mailsplit's 1 MiB limit: 32 KiB of lines stays under it. */
const MAX_HEADER_BYTES = 32 * 1024;
/** The whitespace mailsplit accepts after a boundary on a delimiter line (BOUNDARY_LINE_TRAILING_WSP). */
const BOUNDARY_LINE_SUFFIX = 2 + 2 + 998 + 2;

export interface MimeLeaf {
  /** mailsplit's MimeNode (headers parsed): contentType, charset, encoding, disposition, filename, flowed. */
  node: any;
  /** The encoded body bytes as mailsplit hands them to the decoder. */
  body: Buffer;
}

export interface MimeTreeNode {
  node: any;
  root: boolean;
  /** Leaves carry their body; multiparts their children. */
  body?: Buffer;
  children: MimeTreeNode[];
}

class Unsupported extends Error {}
/** Not a message the fast path reproduces exactly: the caller parses it with mailparser. */
export function reject(): never {
  throw new Unsupported();
}

/** The message's MIME tree, or null when it is not one the fast path reproduces exactly. */
export function splitMime(buf: Buffer): MimeTreeNode | null {
  try {
    return new Splitter(buf).run();
  } catch (err) {
    if (err instanceof Unsupported) return null;
    throw err;
  }
}

class Splitter {
  private parts = 0;
  constructor(private readonly buf: Buffer) {}

  run(): MimeTreeNode {
    // mailsplit also reads a line that starts with a lone CR ("\r--b") as a delimiter: not the plain case.
    if (this.buf.indexOf('\n\r--') >= 0 || this.buf.subarray(0, 3).toString('latin1') === '\r--') reject();
    const { node, bodyStart } = this.header(0, false);
    const root: MimeTreeNode = { node, root: true, children: [] };
    if (!node.multipart) {
      // The root's body keeps its last line ending (mailsplit trims only children's).
      root.body = this.buf.subarray(bodyStart);
      return root;
    }
    const end = this.multipart(root, bodyStart, [], 0);
    // Everything after the root's closing delimiter is epilogue; a line there that mailsplit would read
    // as a delimiter of the root is ignored by it too, but keep to the plain case.
    if (this.nextDelimiter(end, [node._boundary]) !== null) reject();
    return root;
  }

  /** Parses the header block at `start` with mailsplit's MimeNode; the body starts after its blank line. */
  private header(start: number, parent: any): { node: any; bodyStart: number } {
    if (++this.parts > MAX_PARTS) reject();
    const buf = this.buf;
    let pos = start;
    // mailsplit ends the block at the first line that is exactly LF or CRLF.
    for (;;) {
      if (pos - start > MAX_HEADER_BYTES) reject();
      if (buf[pos] === 0x0a) {
        pos += 1;
        break;
      }
      if (buf[pos] === 0x0d && buf[pos + 1] === 0x0a) {
        pos += 2;
        break;
      }
      const nl = buf.indexOf(0x0a, pos);
      if (nl < 0) reject(); // no body: header-only messages go to mailparser
      pos = nl + 1;
    }
    const node = new MimeNode(parent, {});
    if (pos > start) node.addHeaderChunk(buf.subarray(start, pos));
    node.parseHeaders();
    const type = String(node.contentType || '');
    if (type.startsWith('message/')) reject();
    if (node.multipart && !node._boundary) reject();
    // mailsplit splits any part with a boundary parameter, multipart or not.
    if (!node.multipart && node._boundary) reject();
    return { node, bodyStart: pos };
  }

  /**
   * Splits the multipart body starting at `start`; returns the position after its closing delimiter
   * line. `outer` are the boundaries of the enclosing multiparts: a line matching one of them inside
   * this multipart would be an unclosed inner multipart, which is left to mailparser.
   */
  private multipart(tree: MimeTreeNode, start: number, outer: Buffer[], depth: number): number {
    if (depth >= MAX_DEPTH) reject();
    const own: Buffer = tree.node._boundary;
    const all = [own, ...outer];
    // Preamble: up to the first delimiter, which must be a "next part" one of this multipart.
    let d = this.nextDelimiter(start, all);
    if (!d || d.boundary !== own || d.closing) reject();
    for (;;) {
      const { node, bodyStart } = this.header(d!.lineEnd, tree.node);
      if (this.nextDelimiter(d!.lineEnd, all, bodyStart) !== null) reject(); // a delimiter inside the header block
      const child: MimeTreeNode = { node, root: false, children: [] };
      tree.children.push(child);
      let after: number;
      if (node.multipart) {
        if (all.some((b) => b.equals(node._boundary))) reject();
        after = this.multipart(child, bodyStart, all, depth + 1);
        d = this.nextDelimiter(after, all);
        // After an inner multipart's close, its epilogue runs to this multipart's next delimiter.
        if (!d || d.boundary !== own) reject();
      } else {
        d = this.nextDelimiter(bodyStart, all);
        if (!d || d.boundary !== own) reject();
        child.body = this.buf.subarray(bodyStart, trimLineEnd(this.buf, bodyStart, d!.lineStart));
        // mailsplit's quirk: a body that is one bare line ending keeps it before a next-part delimiter
        // (the group keeps its first line's value when trimming empties it) and loses it before a
        // closing one (an empty group is not pushed).
        if (child.body.length === 0 && d!.lineStart > bodyStart && !d!.closing) child.body = this.buf.subarray(bodyStart, d!.lineStart);
      }
      if (d!.closing) return d!.lineEnd;
    }
  }

  /**
   * The next line from `from` (before `limit`) that mailsplit's compareBoundary reads as a delimiter of
   * one of `boundaries`.
   */
  private nextDelimiter(from: number, boundaries: Buffer[], limit = this.buf.length): { lineStart: number; lineEnd: number; boundary: Buffer; closing: boolean } | null {
    const buf = this.buf;
    let pos = from;
    while (pos < limit) {
      let lineStart: number;
      if (pos === from && buf[pos] === 0x2d && buf[pos + 1] === 0x2d && (from === 0 || buf[from - 1] === 0x0a)) {
        lineStart = pos;
      } else {
        const at = buf.indexOf('\n--', pos);
        if (at < 0 || at + 1 >= limit) break;
        lineStart = at + 1;
      }
      const nl = buf.indexOf(0x0a, lineStart);
      const lineEnd = nl < 0 ? buf.length : nl + 1;
      const line = buf.subarray(lineStart, lineEnd);
      for (const b of boundaries) {
        const r = compareBoundary(line, b);
        if (r) return { lineStart, lineEnd, boundary: b, closing: r === 2 };
      }
      // From the line's own LF, so a "--" line right after this one is seen too.
      pos = lineEnd - 1;
    }
    return null;
  }
}

/** mailsplit's compareBoundary at startpos 0: 1 a next-part delimiter, 2 a closing one. */
function compareBoundary(line: Buffer, boundary: Buffer): 0 | 1 | 2 {
  if (line.length < boundary.length + 3 || line.length > boundary.length + BOUNDARY_LINE_SUFFIX) return 0;
  if (line[0] !== 0x2d || line[1] !== 0x2d) return 0;
  for (let i = 0; i < boundary.length; i++) if (line[i + 2] !== boundary[i]) return 0;
  let i = boundary.length + 2;
  let result: 1 | 2 = 1;
  if (line[i] === 0x2d) {
    if (line[i + 1] !== 0x2d) return 0;
    result = 2;
    i += 2;
  }
  while (i < line.length && (line[i] === 0x20 || line[i] === 0x09)) i++;
  if (i === line.length) return result === 2 ? 2 : 0;
  while (i < line.length && line[i] === 0x0d) i++;
  if (i < line.length && line[i] === 0x0a) i++;
  return i === line.length ? result : 0;
}

/** The line ending before a delimiter belongs to the delimiter (mailsplit's trimBodyLineEnd). */
function trimLineEnd(buf: Buffer, start: number, end: number): number {
  if (end > start && buf[end - 1] === 0x0a) {
    end--;
    if (end > start && buf[end - 1] === 0x0d) end--;
  }
  return end;
}
