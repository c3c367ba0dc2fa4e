import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import { dialogOpen } from '../escape-stack';

export interface HitNav {
  count: number;
  /** 0-based; -1 before the first step. */
  index: number;
  next: () => void;
  prev: () => void;
}

/**
 * Next / previous hit: h and Shift-H (or F3 and Shift-F3) and the buttons of HitNavBar. `count` hits,
 * `go(i)` shows hit i. The first hit is shown as soon as there are hits (`key` names the content: a new
 * message or tab starts again from the first).
 */
export function useHitNav(count: number, go: (i: number) => void, key: string): HitNav {
  // `moves` makes a step to the same hit (one hit, next) show it again.
  const [at, setAt] = useState({ index: -1, moves: 0 });
  const shownFor = useRef<string | null>(null);
  useEffect(() => {
    if (count > 0 && shownFor.current !== key) {
      shownFor.current = key;
      setAt((a) => ({ index: 0, moves: a.moves + 1 }));
    } else if (count === 0 && shownFor.current !== key) setAt((a) => ({ index: -1, moves: a.moves }));
    else if (at.index >= count) setAt((a) => ({ index: count - 1, moves: a.moves + 1 }));
  }, [count, key]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    if (at.index >= 0 && at.index < count) go(at.index);
  }, [at]); // eslint-disable-line react-hooks/exhaustive-deps
  const step = useCallback((d: number) => setAt((a) => ({ index: count === 0 ? -1 : (Math.max(a.index, 0) + d + count) % count, moves: a.moves + 1 })), [count]);
  const index = at.index;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (e.ctrlKey || e.metaKey || e.altKey || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName) || t.isContentEditable || dialogOpen()) return;
      if (e.key === 'h' || (e.key === 'F3' && !e.shiftKey)) step(1);
      else if (e.key === 'H' || (e.key === 'F3' && e.shiftKey)) step(-1);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [step]);
  return { count, index, next: () => step(1), prev: () => step(-1) };
}

/** Hits marked in a part of the page (text view, thread): counted from the DOM, shown by scrolling. */
export function useDomHits(container: RefObject<HTMLElement | null>, key: string): HitNav {
  const [count, setCount] = useState(0);
  useEffect(() => {
    const el = container.current;
    if (!el) return;
    const recount = () => setCount(el.querySelectorAll('mark.cf-hit').length);
    recount();
    const observer = new MutationObserver(recount);
    observer.observe(el, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [container, key]);
  return useHitNav(
    count,
    (i) => {
      const marks = container.current?.querySelectorAll('mark.cf-hit');
      marks?.forEach((m, k) => m.classList.toggle('current', k === i));
      marks?.[i]?.scrollIntoView({ block: 'center' });
    },
    key,
  );
}
