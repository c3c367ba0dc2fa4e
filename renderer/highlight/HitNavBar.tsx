import type { HitNav } from './useHitNav';

/** "3 / 12" with previous / next buttons; nothing when the query marks nothing here. */
export function HitNavBar({ nav, label = 'hits' }: { nav: HitNav; label?: string }) {
  if (nav.count === 0) return null;
  return (
    <span className="hit-nav" data-testid="hit-nav" title="Next / previous hit: h / Shift-H (or F3 / Shift-F3)">
      <button className="small" onClick={nav.prev} aria-label="Previous hit" data-testid="hit-prev">
        ‹
      </button>
      <span data-testid="hit-count">
        {nav.index + 1} / {nav.count}
      </span>{' '}
      <span className="muted">{label}</span>
      <button className="small" onClick={nav.next} aria-label="Next hit" data-testid="hit-next">
        ›
      </button>
    </span>
  );
}
