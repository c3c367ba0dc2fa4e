import { useState } from 'react';

/**
 * Preferences remembered across sessions (list order, theme, time zone of displayed dates), in the
 * renderer's localStorage: the desktop app keeps it in its profile, per machine, never in the case.
 */
export function usePref<T extends string>(key: string, fallback: T, allowed: readonly T[]): [T, (v: T) => void] {
  const [value, setValue] = useState<T>(() => {
    const stored = safeGet(`casefile.${key}`);
    return stored !== null && (allowed as readonly string[]).includes(stored) ? (stored as T) : fallback;
  });
  return [
    value,
    (v) => {
      setValue(v);
      try {
        localStorage.setItem(`casefile.${key}`, v);
      } catch {
        /* storage full or disabled: the choice lasts for this session */
      }
    },
  ];
}

function safeGet(k: string): string | null {
  try {
    return localStorage.getItem(k);
  } catch {
    return null;
  }
}

export type SortPref = 'newest' | 'oldest' | 'relevance';
export const SORTS: readonly SortPref[] = ['newest', 'oldest', 'relevance'];
