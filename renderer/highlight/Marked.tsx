import type { ReactNode } from 'react';
import type { Range } from './hit-ranges';

/** A text with its hits wrapped in <mark class="cf-hit">: React text nodes only, nothing parsed as HTML. */
export function Marked({ text, ranges }: { text: string; ranges: Range[] | undefined }) {
  if (!ranges?.length) return <>{text}</>;
  const parts: ReactNode[] = [];
  let last = 0;
  for (const [a, b] of ranges) {
    if (a < last || b > text.length) continue;
    parts.push(text.slice(last, a), <mark key={a} className="cf-hit">{text.slice(a, b)}</mark>);
    last = b;
  }
  parts.push(text.slice(last));
  return <>{parts}</>;
}
