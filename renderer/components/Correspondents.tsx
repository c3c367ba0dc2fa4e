import type { FacetsResult } from '../../shared/types';
import { visibleText } from '../visible-text';

/** Who writes to whom among the results: top senders (rows) × top recipients (columns); click a cell to filter. */
export function Correspondents({ result, onPick }: { result: FacetsResult | null; onPick: (sender: string, recipient: string | null) => void }) {
  if (!result) return null;
  const { senders, recipients, counts } = result.matrix;
  const max = Math.max(1, ...counts.flat());
  const short = (a: string) => visibleText(a.length > 22 ? `${a.slice(0, 20)}…` : a);
  return (
    <div className="overview" data-testid="overview">
      <h2>Overview</h2>
      <p className="muted">
        {result.total} message{result.total === 1 ? '' : 's'} in the current results. Drag across the timeline to pick a period; click a facet on the left, or a cell
        below, to narrow. <kbd>?</kbd> lists the keys.
      </p>
      <h3>Who writes to whom</h3>
      {senders.length === 0 || recipients.length === 0 ? (
        <p className="muted">No sender/recipient pairs in these results.</p>
      ) : (
        <table className="matrix" data-testid="matrix">
          <thead>
            <tr>
              <th className="muted">from ↓ to →</th>
              {recipients.map((r) => (
                <th key={r} title={r} className="rot">
                  <span>{short(r)}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {senders.map((s, i) => (
              <tr key={s}>
                <th title={s}>
                  <button className="linklike" onClick={() => onPick(s, null)}>
                    {short(s)}
                  </button>
                </th>
                {recipients.map((r, j) => {
                  const c = counts[i]![j]!;
                  return (
                    <td key={r} style={{ ['--heat' as string]: String(c / max) }} className={c ? 'heat' : ''}>
                      {c ? (
                        <button className="cell" title={`${s} → ${r}: ${c}`} onClick={() => onPick(s, r)} data-testid="matrix-cell">
                          {c}
                        </button>
                      ) : null}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
