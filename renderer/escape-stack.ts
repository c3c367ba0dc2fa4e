import { useEffect, useRef } from 'react';

/**
 * Esc closes the innermost open dialog or viewer, and only that one: every dialog registers here while it is
 * open; one capture-phase listener calls the most recent and stops the key from reaching the app.
 */
const stack: { current: () => void }[] = [];
let installed = false;

function install() {
  if (installed) return;
  installed = true;
  window.addEventListener(
    'keydown',
    (e) => {
      if (e.key !== 'Escape' || stack.length === 0) return;
      e.preventDefault();
      e.stopPropagation();
      stack[stack.length - 1]!.current();
    },
    true,
  );
}

export function useEscape(onClose: () => void): void {
  const ref = useRef(onClose);
  ref.current = onClose;
  useEffect(() => {
    install();
    stack.push(ref);
    return () => {
      const i = stack.lastIndexOf(ref);
      if (i >= 0) stack.splice(i, 1);
    };
  }, []);
}

export function dialogOpen(): boolean {
  return stack.length > 0;
}
