import { hitRanges } from './hit-ranges';

/** Inside the frame: hits yellow, the current one (the fragment target) orange. Inline CSS is what the frame's CSP allows. */
const HIT_STYLE = 'mark.cf-hit{background:#ffe066;color:#000}mark.cf-hit:target{background:#ff9632;outline:2px solid #e8590c}';
const SKIP = new Set(['STYLE', 'SCRIPT', 'TITLE', 'TEXTAREA', 'NOSCRIPT', 'TEMPLATE']);

/**
 * Marks a query's hits in already sanitized mail HTML, in its text nodes only: the srcdoc is parsed into
 * an inert document (DOMParser runs nothing and loads nothing), each hit is cut out of its text node and
 * put in a <mark id="cf-hit-N"> created with the DOM API, and the document is serialized again. No string
 * from the message is ever written as markup. The viewer steps through hits by the frame's fragment.
 */
export async function markHtmlHits(srcdoc: string, query: string): Promise<{ srcdoc: string; count: number }> {
  const doc = new DOMParser().parseFromString(srcdoc, 'text/html');
  const nodes: Text[] = [];
  const walker = doc.createTreeWalker(doc.body, NodeFilter.SHOW_TEXT, { acceptNode: (n) => (SKIP.has(n.parentElement?.tagName ?? '') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT) });
  for (let n = walker.nextNode(); n; n = walker.nextNode()) if ((n as Text).data.trim()) nodes.push(n as Text);
  const ranges = await hitRanges(query, nodes.map((n) => n.data));
  let count = 0;
  nodes.forEach((node, i) => {
    // From the end, so the earlier offsets of the same node stay valid while it is split.
    const list = ranges[i]!;
    const ids: number[] = [];
    for (let k = 0; k < list.length; k++) ids.push(++count);
    for (let k = list.length - 1; k >= 0; k--) {
      const [a, b] = list[k]!;
      const hit = node.splitText(a);
      hit.splitText(b - a);
      const mark = doc.createElement('mark');
      mark.className = 'cf-hit';
      mark.id = `cf-hit-${ids[k]}`;
      hit.replaceWith(mark);
      mark.appendChild(hit);
    }
  });
  if (count === 0) return { srcdoc, count };
  const style = doc.createElement('style');
  style.textContent = HIT_STYLE;
  doc.head.appendChild(style);
  return { srcdoc: `<!doctype html>${doc.documentElement.outerHTML}`, count };
}
