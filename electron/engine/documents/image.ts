import exifr from 'exifr';
import type { DocMeta, Extracted } from './types';

/** Images: EXIF / XMP / IPTC through exifr, with the original date and its offset as written. */
export async function extractImage(bytes: Uint8Array): Promise<Extracted> {
  const raw = (await exifr.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
    tiff: true,
    exif: true,
    gps: true,
    xmp: true,
    iptc: true,
    icc: false,
    // Strings as written: a revived Date would be read in this machine's zone.
    reviveValues: false,
    translateValues: false,
    mergeOutput: true,
  }).catch(() => null)) as Record<string, any> | null;
  const exif: Record<string, unknown> = {};
  const meta: DocMeta = {};
  if (raw) {
    for (const [k, v] of Object.entries(raw)) {
      if (v instanceof Uint8Array || (typeof v === 'object' && v !== null && !Array.isArray(v))) continue;
      if (typeof v === 'string' && v.length > 2000) continue;
      exif[k] = typeof v === 'string' ? utf8Repaired(v) : Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? utf8Repaired(x) : x)) : v;
    }
    const camera = [raw.Make, raw.Model].filter((x) => typeof x === 'string' && x.trim()).join(' ').trim();
    if (camera) exif.camera = camera;
    const original = exifDate(raw.DateTimeOriginal, raw.OffsetTimeOriginal);
    if (original) exif.originalDate = original;
    meta.created = original ?? exifDate(raw.CreateDate, raw.OffsetTimeDigitized);
    meta.modified = exifDate(raw.ModifyDate, raw.OffsetTime);
    meta.application = str(raw.Software) ?? str(raw.CreatorTool);
    meta.author = str(raw.Artist) ?? str(raw.creator) ?? str(raw.Byline);
    meta.title = str(raw.ImageDescription) ?? str(raw.title) ?? str(raw.ObjectName);
    const lat = gpsDecimal(raw.GPSLatitude, raw.GPSLatitudeRef);
    const lon = gpsDecimal(raw.GPSLongitude, raw.GPSLongitudeRef);
    if (lat !== null && lon !== null) {
      exif.latitude = lat;
      exif.longitude = lon;
    }
  }
  return { type: 'image', meta, exif: Object.keys(exif).length ? exif : undefined, pages: [''], errors: [] };
}

/**
 * exifr reads IPTC text as Latin-1 even when the record declares UTF-8 (1:90 ESC % G), which turns
 * "Максим" into "ÐÐ°Ðº…". A string of only 8-bit characters that is valid UTF-8 as bytes is decoded again;
 * real Latin-1 text ("Übersicht") is almost never valid UTF-8 and stays as it is.
 */
function utf8Repaired(v: string): string {
  if (!/[\u0080-\u00ff]/.test(v) || /[^\u0000-\u00ff]/.test(v)) return v;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(v, 'latin1'));
  } catch {
    return v;
  }
}

function str(v: unknown): string | undefined {
  if (Array.isArray(v)) v = v.join(', ');
  if (v && typeof v === 'object' && 'value' in (v as any)) v = (v as any).value;
  return typeof v === 'string' && v.trim() ? utf8Repaired(v.trim()) : undefined;
}

/** "2009:08:11 09:09:45" + "+02:00" → "2009-08-11T09:09:45+02:00" (no offset written: none added). */
function exifDate(v: unknown, offset: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(v.trim());
  if (!m) return undefined;
  const zone = typeof offset === 'string' && /^[+-]\d{2}:\d{2}$/.test(offset.trim()) ? offset.trim() : '';
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${zone}`;
}

function gpsDecimal(v: unknown, ref: unknown): number | null {
  if (!Array.isArray(v) || v.length < 3) return typeof v === 'number' ? v : null;
  const [d, m, s] = v.map(Number) as [number, number, number];
  let x = d + m / 60 + s / 3600;
  if (ref === 'S' || ref === 'W') x = -x;
  return Math.round(x * 1e6) / 1e6;
}
