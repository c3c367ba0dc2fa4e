import { useState } from 'react';
import type { MessageJson } from '../../shared/types';
import { VersionCompare } from './VersionCompare';

/** "N versions" in the reading pane when other messages share this Message-ID; opens the compare view. */
export function VersionsBadge({ msg, onOpen }: { msg: MessageJson; onOpen?: (id: number) => void }) {
  const [open, setOpen] = useState(false);
  if (!msg.versions?.length) return null;
  const fields = [...new Set(msg.versions.flatMap((v) => v.differences))];
  return (
    <div className="versions">
      <button className="badge bad" onClick={() => setOpen(!open)} aria-expanded={open} data-testid="reading-versions-badge" title={`Other messages carry this Message-ID; they differ in: ${fields.join(', ')}`}>
        {msg.versions.length + 1} versions of this Message-ID · differ in {fields.join(', ')}
      </button>
      {open && (
        <VersionCompare
          id={msg.id}
          onClose={() => setOpen(false)}
          onOpen={(id) => {
            setOpen(false);
            onOpen?.(id);
          }}
        />
      )}
    </div>
  );
}
