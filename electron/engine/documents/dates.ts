/**
 * Document dates as ISO-8601 strings that keep the offset as written ("2017-04-28T18:02:11+03:00");
 * a date written without a zone stays without one (local time of the author's machine, unknown zone).
 */

/** PDF date: D:YYYYMMDDHHmmSSOHH'mm' (every part after the year optional). */
export function pdfDate(s: string | undefined | null): string | undefined {
  if (!s) return undefined;
  const m = /^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?\s*(Z|[+-]\d{2}'?\d{0,2}'?)?/.exec(s.trim());
  if (!m) return isoDate(s);
  const [, y, mo = '01', d = '01', h = '00', mi = '00', sec = '00', z] = m;
  let zone = '';
  if (z === 'Z') zone = 'Z';
  else if (z) {
    const zm = /([+-])(\d{2})'?(\d{2})?/.exec(z)!;
    zone = `${zm[1]}${zm[2]}:${zm[3] ?? '00'}`;
    if (zone === '+00:00' || zone === '-00:00') zone = 'Z';
  }
  return `${y}-${mo}-${d}T${h}:${mi}:${sec}${zone}`;
}

/** An ISO/W3CDTF date as written (XMP, OOXML, ODF); only normalises separators and keeps the zone. */
export function isoDate(s: string | undefined | null): string | undefined {
  if (!s) return undefined;
  const t = s.trim();
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(t);
  if (!m) return t || undefined;
  const [, y, mo = '01', d = '01', h, mi, sec = '00', z] = m;
  const time = h ? `T${h}:${mi}:${sec}` : '';
  const zone = !z ? '' : z === 'Z' ? 'Z' : z.includes(':') ? z : `${z.slice(0, 3)}:${z.slice(3)}`;
  return `${y}-${mo}-${d}${time}${time ? zone : ''}`;
}

/** A JS Date (OLE2 FILETIME, EXIF read as UTC by the library) as UTC ISO. */
export function utcDate(d: Date | undefined | null): string | undefined {
  if (!d || Number.isNaN(d.getTime())) return undefined;
  return d.toISOString().replace('.000Z', 'Z');
}

/** Epoch ms of an ISO date from above; a date without zone is read as UTC (for ordering only). */
export function dateMs(iso: string | undefined): number | null {
  if (!iso) return null;
  const withZone = /T.*(Z|[+-]\d{2}:\d{2})$/.test(iso) ? iso : /T/.test(iso) ? `${iso}Z` : `${iso}T00:00:00Z`;
  const ms = Date.parse(withZone);
  return Number.isNaN(ms) ? null : ms;
}

/** Minutes east of UTC written in an ISO date, or null when it has none. */
export function offsetMinutes(iso: string | undefined): number | null {
  const m = iso ? /T.*(Z|([+-])(\d{2}):(\d{2}))$/.exec(iso) : null;
  if (!m) return null;
  if (m[1] === 'Z') return 0;
  return (m[2] === '-' ? -1 : 1) * (Number(m[3]) * 60 + Number(m[4]));
}
