import type { ArcVerdict, DkimVerdict } from '../../../shared/types';
import type { RawHeaders } from '../parse/raw-headers';

/** One dkim=pass recorded by an ARC-Authentication-Results header: instance, who sealed it, for which signature. */
interface RecordedPass {
  instance: number;
  sealer: string;
  domain: string;
  selector: string | null;
}

/**
 * ARC as context for a mailing list's changes. A list that seals with ARC records, in its
 * ARC-Authentication-Results, what it saw on arrival — typically "dkim=pass header.d=example.org" for the
 * author's signature — before it added its footer or stripped a part. When the message carries a List-Id and
 * such a record names a failed (or list-explained) signature, the verdict gains that context: *verified* when
 * the whole ARC chain validates offline with the keys in the case (the list's seal covers that record),
 * otherwise *unverified* (anyone can write the header). The verdict itself is not changed.
 */
export function withArcListContext(dkim: DkimVerdict[], headers: RawHeaders['values'], arc: ArcVerdict): DkimVerdict[] {
  if (!headers.get('list-id')?.length) return dkim;
  const passes = recordedPasses(headers);
  if (passes.length === 0) return dkim;
  return dkim.map((d) => {
    if (d.result !== 'fail' && d.listChanges.length === 0) return d;
    const p = passes.find((x) => x.domain === d.domain.toLowerCase() && (x.selector === null || x.selector === d.selector.toLowerCase()));
    if (!p) return d;
    const who = `i=${p.instance}${p.sealer ? `, ${p.sealer}` : ''}`;
    const arcContext =
      arc.result === 'pass'
        ? { instance: p.instance, sealer: p.sealer, verified: true, text: `The list's ARC seal (${who}) records the original signature of ${d.domain} passing before it changed the message; the ARC chain validates offline with the keys in the case.` }
        : { instance: p.instance, sealer: p.sealer, verified: false, text: `An ARC-Authentication-Results header (${who}) says the original signature of ${d.domain} passed before the list changed the message, but the ARC chain does not validate offline (${arc.reason ?? arc.result}): unverified, anyone could have written it.` };
    return { ...d, arcContext };
  });
}

/** Every dkim=pass in the ARC-Authentication-Results headers, lowest instance (closest to the author) first. */
function recordedPasses(headers: RawHeaders['values']): RecordedPass[] {
  const sealers = new Map<number, string>();
  for (const seal of headers.get('arc-seal') ?? []) {
    const i = Number(/(?:^|;)\s*i\s*=\s*(\d+)/.exec(seal)?.[1]);
    const d = /(?:^|;)\s*d\s*=\s*([^;\s]+)/.exec(seal)?.[1];
    if (i && d) sealers.set(i, d.toLowerCase());
  }
  const out: RecordedPass[] = [];
  for (const aar of headers.get('arc-authentication-results') ?? []) {
    let text = aar;
    // RFC 8601 comments may hold ';': drop them (innermost first) before splitting.
    for (let prev = ''; prev !== text; ) [prev, text] = [text, text.replace(/\([^()]*\)/g, '')];
    const [first, , ...results] = text.split(';');
    const instance = Number(/^\s*i\s*=\s*(\d+)\s*$/.exec(first ?? '')?.[1]);
    if (!instance) continue;
    for (const r of results) {
      if (!/^\s*dkim\s*=\s*pass\b/i.test(r)) continue;
      const prop = (name: string) => new RegExp(`\\bheader\\.${name}\\s*=\\s*"?([^\\s";]+)`, 'i').exec(r)?.[1]?.toLowerCase() ?? null;
      const domain = prop('d') ?? prop('i')?.replace(/^.*@/, '') ?? null;
      if (domain) out.push({ instance, sealer: sealers.get(instance) ?? '', domain, selector: prop('s') });
    }
  }
  return out.sort((a, b) => a.instance - b.instance);
}
