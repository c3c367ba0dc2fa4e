/**
 * The zone dates are displayed in: UTC (default: the same for every reader of a case) or this computer's
 * local zone. Remembered in localStorage; every displayed date carries its zone, never a bare time.
 */
export type DateZone = 'utc' | 'local';
const KEY = 'casefile.dateZone';

export function dateZone(): DateZone {
  try {
    return localStorage.getItem(KEY) === 'local' ? 'local' : 'utc';
  } catch {
    return 'utc';
  }
}

/** Remember the choice and redraw (every list row and pane re-reads it). */
export function setDateZone(zone: DateZone): void {
  localStorage.setItem(KEY, zone);
  location.reload();
}

/** "+02:00" for 120 minutes east of UTC. */
export function offsetLabel(minutes: number): string {
  const a = Math.abs(minutes);
  return `${minutes < 0 ? '−' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

export function formatInZone(iso: string, seconds = false): string {
  const len = seconds ? 19 : 16;
  if (dateZone() === 'utc') return `${iso.slice(0, len).replace('T', ' ')} UTC`;
  const d = new Date(iso);
  const offset = -d.getTimezoneOffset();
  return `${new Date(d.getTime() + offset * 60000).toISOString().slice(0, len).replace('T', ' ')} ${offsetLabel(offset)}`;
}
