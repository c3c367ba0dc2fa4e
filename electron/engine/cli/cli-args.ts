import type { ParseArgsConfig } from 'node:util';

const HIDDEN = '\u0000arg';

/**
 * `casefile search case -presse` must search for "not presse", not fail on an unknown option "-p".
 * Single-dash words that are not one of the command's short options are set aside before parseArgs and
 * put back as plain values (positionals or option values: `--query -draft` works too). Unknown `--long`
 * options still fail, so typos are caught.
 */
export function protectDashWords(args: string[], options: NonNullable<ParseArgsConfig['options']>): { args: string[]; restore: (v: string) => string } {
  const shorts = new Set(Object.values(options).map((o) => o.short).filter((s): s is string => Boolean(s)));
  const kept: string[] = [];
  let afterDoubleDash = false;
  const out = args.map((a) => {
    if (a === '--') afterDoubleDash = true;
    if (afterDoubleDash || !a.startsWith('-') || a.startsWith('--') || a === '-') return a;
    if (a.length === 2 && shorts.has(a[1]!)) return a;
    kept.push(a);
    return `${HIDDEN}${kept.length - 1}`;
  });
  return { args: out, restore: (v) => (v.startsWith(HIDDEN) ? kept[Number(v.slice(HIDDEN.length))]! : v) };
}
