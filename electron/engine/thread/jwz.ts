/**
 * Jamie Zawinski's threading algorithm (https://www.jwz.org/doc/threading.html) over Message-ID,
 * References and In-Reply-To, with:
 * - ghost containers for messages that are referenced but absent (kept as visible ghosts when they join
 *   two or more messages, pruned otherwise);
 * - reference loops broken safely (a link that would make a container its own ancestor is skipped);
 * - a conservative subject fallback: only a reply-prefixed message ("Re:", "AW:", "Réf:"…) that has no
 *   References/In-Reply-To at all is attached to an earlier root with the same base subject. Unlike
 *   JWZ's step 5 we never merge two unrelated originals that merely share a subject ("Hello").
 */

export interface ThreadInput {
  row: number;
  messageId: string | null;
  references: string[];
  inReplyTo: string | null;
  subject: string | null;
  dateMs: number | null;
}

/**
 * What a container keeps of its message: no references and no subject, so that the whole case's tree
 * stays small (issue 15 item 3). Subjects are asked for afterwards, only for the roots that need them.
 */
export interface ThreadMessage {
  row: number;
  dateMs: number | null;
  /** A reply-prefixed subject with no References/In-Reply-To: a candidate for the subject fallback. */
  orphanReply: boolean;
}

export interface Container {
  key: string;
  message: ThreadMessage | null;
  parent: Container | null;
  children: Container[];
  /** Sort key, computed by computeDates: the message's date, or for a ghost the earliest date below it. */
  date?: number;
}

/** A message's subject by row: the caller's store (rethread.ts reads it from the case database). */
export type SubjectOf = (row: number) => string | null;

/**
 * `messages` is read once, in order (an iterator over the database is enough); without `subjectOf`
 * the subjects are kept from the inputs.
 */
export function threadMessages(messages: Iterable<ThreadInput>, subjectOf?: SubjectOf): Container[] {
  const table = new Map<string, Container>();
  const get = (key: string): Container => {
    let c = table.get(key);
    if (!c) {
      c = { key, message: null, parent: null, children: [] };
      table.set(key, c);
    }
    return c;
  };
  const subjects = subjectOf ? null : new Map<number, string | null>();

  let unique = 0;
  let orphanReplies = 0;
  for (const msg of messages) {
    let container = msg.messageId ? get(msg.messageId) : null;
    if (!container || container.message) {
      // No Message-ID, or a second message with the same id: thread it on its own key.
      container = get(`\u0000unique-${unique++}`);
    }
    const orphanReply = msg.references.length === 0 && !msg.inReplyTo && isReplySubject(msg.subject);
    if (orphanReply) orphanReplies++;
    container.message = { row: msg.row, dateMs: msg.dateMs, orphanReply };
    subjects?.set(msg.row, msg.subject);

    const refs = [...msg.references];
    if (msg.inReplyTo && refs[refs.length - 1] !== msg.inReplyTo && !refs.includes(msg.inReplyTo)) refs.push(msg.inReplyTo);
    let prev: Container | null = null;
    for (const ref of refs) {
      const c = get(ref);
      if (prev && !c.parent && !wouldLoop(prev, c)) link(prev, c);
      prev = c;
    }
    // The message's parent is its last reference, even if it had been linked elsewhere before.
    if (prev && prev !== container && !wouldLoop(prev, container)) {
      if (container.parent) unlink(container);
      link(prev, container);
    }
  }

  let roots = [...table.values()].filter((c) => !c.parent);
  roots = pruneEmpty(roots);
  // Without a reference-less reply there is nothing to attach: no subject needs to be read.
  if (orphanReplies > 0) roots = attachReplyOrphansBySubject(roots, subjectOf ?? ((row) => subjects!.get(row) ?? null));
  for (const r of roots) sortTree(r);
  roots.sort((a, b) => dateOf(a) - dateOf(b));
  return roots;
}

function link(parent: Container, child: Container): void {
  child.parent = parent;
  parent.children.push(child);
}

function unlink(child: Container): void {
  const p = child.parent!;
  p.children = p.children.filter((c) => c !== child);
  child.parent = null;
}

/** True if making `child` a child of `parent` would create a cycle. */
function wouldLoop(parent: Container, child: Container): boolean {
  // A cycle exists exactly when `child` is `parent` or one of its ancestors.
  for (let a: Container | null = parent; a; a = a.parent) if (a === child) return true;
  return false;
}

/** JWZ step 4: drop empty leaves, splice out empty containers that only pass one child through. */
function pruneEmpty(roots: Container[]): Container[] {
  const out: Container[] = [];
  for (const r of roots) {
    // Post-order without recursion (hostile reference chains can be deeper than the call stack).
    for (const c of postOrder(r)) {
      const kids: Container[] = [];
      // A loop, not push(...list): a spliced-out container may hand over hundreds of thousands of children.
      for (const child of c.children) {
        const instead = replacement.get(child);
        if (!instead) kids.push(child);
        else for (const k of instead) kids.push(k);
      }
      c.children = kids;
      for (const k of kids) k.parent = c;
      if (!c.message) replacement.set(c, kids.length === 0 ? [] : c === r && kids.length > 1 ? [c] : kids);
    }
    out.push(...(replacement.get(r) ?? [r]));
    replacement.clear();
  }
  for (const r of out) r.parent = null;
  return out;
}

const replacement = new Map<Container, Container[]>();

/** Containers of a tree, children before parents. */
function postOrder(root: Container): Container[] {
  const order: Container[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const c = stack.pop()!;
    order.push(c);
    for (const k of c.children) stack.push(k);
  }
  return order.reverse();
}

const REPLY_PREFIX = /^\s*((re|aw|sv|vs|réf|ref|antw|fwd?|tr|wg)\s*(\[\d+\])?\s*:\s*)+/i;

export function baseSubject(subject: string | null): string {
  return (subject ?? '').replace(/^\s*(\[[^\]]*\]\s*)+/, '').replace(REPLY_PREFIX, '').replace(/^\s*(\[[^\]]*\]\s*)+/, '').replace(/\s+/g, ' ').trim().toLowerCase();
}

function isReplySubject(subject: string | null): boolean {
  return REPLY_PREFIX.test((subject ?? '').replace(/^\s*(\[[^\]]*\]\s*)+/, ''));
}

function attachReplyOrphansBySubject(roots: Container[], subjectOf: SubjectOf): Container[] {
  const originals = new Map<string, Container>();
  for (const r of [...roots].sort((a, b) => dateOf(a) - dateOf(b))) {
    const m = r.message;
    if (!m || m.orphanReply) continue;
    const subject = subjectOf(m.row);
    if (isReplySubject(subject)) continue;
    const key = baseSubject(subject);
    if (key && !originals.has(key)) originals.set(key, r);
  }
  const kept: Container[] = [];
  for (const r of roots) {
    const m = r.message;
    const target = m?.orphanReply ? originals.get(baseSubject(subjectOf(m.row))) : undefined;
    if (target && target !== r && dateOf(target) <= dateOf(r)) link(target, r);
    else kept.push(r);
  }
  return kept;
}

function dateOf(c: Container): number {
  return c.date ?? computeDates(c);
}

function computeDates(root: Container): number {
  for (const c of postOrder(root)) {
    let d = c.message?.dateMs ?? Number.MAX_SAFE_INTEGER;
    if (c.message?.dateMs == null) for (const k of c.children) d = Math.min(d, k.date ?? Number.MAX_SAFE_INTEGER);
    c.date = d;
  }
  return root.date!;
}

function sortTree(root: Container): void {
  computeDates(root);
  for (const c of postOrder(root)) {
    c.children.sort((a, b) => dateOf(a) - dateOf(b) || (a.message?.row ?? 0) - (b.message?.row ?? 0));
  }
}
