import { useEffect, useRef } from 'react';
import { dialogOpen } from '../escape-stack';

export interface AppKeyActions {
  escape: () => void;
  focusSearch: () => void;
  move: (delta: 1 | -1) => void;
  openThread: () => void;
  mark: () => void;
  help: () => void;
}

/**
 * The list's keys (see HelpDialog for the full table). Dialogs take Esc first (escape-stack); typing in a
 * field never triggers a key, and Esc there just leaves the field.
 */
export function useAppKeys(actions: AppKeyActions): void {
  // One listener for the app's life, calling the latest actions (a listener registered per render left a
  // window in which a key reached the previous render's actions).
  const latest = useRef(actions);
  latest.current = actions;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const actions = latest.current;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target as HTMLElement;
      const inInput = ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName) || t.isContentEditable;
      if (e.key === 'Escape') {
        if (inInput) t.blur();
        else actions.escape();
        return;
      }
      if (inInput || dialogOpen()) return;
      if (e.key === '/') {
        e.preventDefault();
        actions.focusSearch();
      } else if (e.key === 'j') actions.move(1);
      else if (e.key === 'k') actions.move(-1);
      else if (e.key === 'Enter') actions.openThread();
      else if (e.key === 'x') actions.mark();
      else if (e.key === '?') actions.help();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
