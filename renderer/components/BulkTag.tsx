import { useState } from 'react';
import type { Selection, TagInfo } from '../../shared/types';
import { call } from '../api-client';

/** "Tag all": one tag on a whole selection (every hit of a search, a thread), in one transaction. */
export function BulkTag({ label, title, selection, known, onDone }: { label: string; title?: string; selection: Selection; known: TagInfo[]; onDone: (message: string) => void }) {
  const [open, setOpen] = useState(false);
  const [tag, setTag] = useState('');
  const [error, setError] = useState<string | null>(null);
  const apply = async (remove: boolean) => {
    try {
      const r = await call('tagMessages', { tag: tag.trim(), selection, remove });
      setOpen(false);
      setError(null);
      onDone(`${remove ? 'Removed' : 'Tagged'} "${r.tag}" ${remove ? 'from' : 'on'} ${r.changed} of ${r.matched} messages`);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  if (!open)
    return (
      <button className="small" onClick={() => setOpen(true)} title={title} data-testid="bulk-tag-open">
        {label}
      </button>
    );
  return (
    <span className="bulk-tag">
      <input autoFocus value={tag} list="known-tags-bulk" placeholder="tag" aria-label="Tag for all" data-testid="bulk-tag-input" onChange={(e) => setTag(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && void apply(false)} />
      <datalist id="known-tags-bulk">
        {known.map((k) => (
          <option key={k.name} value={k.name} />
        ))}
      </datalist>
      <button className="small primary" disabled={!tag.trim()} onClick={() => void apply(false)} data-testid="bulk-tag-apply">
        Add
      </button>
      <button className="small" disabled={!tag.trim()} onClick={() => void apply(true)}>
        Remove
      </button>
      <button className="small" onClick={() => setOpen(false)}>
        ×
      </button>
      {error && <span className="query-error">{error}</span>}
    </span>
  );
}
