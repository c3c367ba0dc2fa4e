import { useEffect, useState } from 'react';
import type { Shell } from '../../shared/api';
import { useEscape } from '../escape-stack';

const shell = (window as unknown as { casefileShell?: Shell }).casefileShell;

/** Desktop app only: open a recent case, or open / create another case folder (native picker). */
export function CaseSwitcher() {
  const [open, setOpen] = useState(false);
  if (!shell) return null;
  return (
    <>
      <button className="small" onClick={() => setOpen(true)} data-testid="cases-open" title="Open, create or switch cases">
        Cases…
      </button>
      {open && <CasesDialog onClose={() => setOpen(false)} />}
    </>
  );
}

function CasesDialog({ onClose }: { onClose: () => void }) {
  useEscape(onClose);
  const [recent, setRecent] = useState<string[]>([]);
  useEffect(() => void shell!.recentCases().then(setRecent), []);
  // The engine now serves another case: start the UI afresh on it.
  const switched = (dir: string | null) => dir && location.replace(location.pathname + location.search);
  return (
    <div className="modal-backdrop" role="dialog" aria-modal="true" aria-label="Cases" data-testid="cases-dialog">
      <div className="modal">
        <h2>Cases</h2>
        <ul className="recent-cases">
          {recent.map((dir, i) => (
            <li key={dir}>
              <button className="linklike" onClick={() => void shell!.openCase(dir).then(switched)}>
                {dir}
              </button>
              {i === 0 && <span className="muted"> (open now)</span>}
            </li>
          ))}
        </ul>
        <div className="modal-actions">
          <button onClick={onClose}>Close</button>
          <button className="primary" onClick={() => void shell!.chooseCase().then(switched)}>
            Open or create a case folder…
          </button>
        </div>
      </div>
    </div>
  );
}
