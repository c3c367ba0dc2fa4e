// What the desktop app remembers between runs (never inside a case): recently opened cases and the window's
// place and size. A small JSON file in the app's data folder; unreadable or hand-edited files fall back to
// defaults. Plain Node (no electron import) so it is unit-tested.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const MAX_RECENT = 10;

export interface WindowState {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export interface AppState {
  recentCases: string[];
  window: WindowState;
}

export const DEFAULT_STATE: AppState = { recentCases: [], window: { width: 1400, height: 900, maximized: false } };

export function readAppState(file: string): AppState {
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<AppState>;
    const w = raw.window as Partial<WindowState> | undefined;
    const num = (v: unknown, min: number) => (typeof v === 'number' && Number.isFinite(v) && v >= min ? Math.round(v) : undefined);
    return {
      recentCases: Array.isArray(raw.recentCases) ? raw.recentCases.filter((p): p is string => typeof p === 'string' && path.isAbsolute(p)).slice(0, MAX_RECENT) : [],
      window: {
        x: num(w?.x, -100_000),
        y: num(w?.y, -100_000),
        width: num(w?.width, 400) ?? DEFAULT_STATE.window.width,
        height: num(w?.height, 300) ?? DEFAULT_STATE.window.height,
        maximized: w?.maximized === true,
      },
    };
  } catch {
    return structuredClone(DEFAULT_STATE);
  }
}

/** Written to a temp file and renamed: a crash never leaves half a file. */
export function writeAppState(file: string, state: AppState): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(state, null, 2));
  renameSync(tmp, file);
}

/** The case just opened goes first; no duplicates; at most ten. */
export function withRecentCase(state: AppState, dir: string): AppState {
  const abs = path.resolve(dir);
  return { ...state, recentCases: [abs, ...state.recentCases.filter((p) => p !== abs)].slice(0, MAX_RECENT) };
}
