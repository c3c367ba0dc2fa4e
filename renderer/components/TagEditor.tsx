import { useEffect, useRef, useState } from 'react';
import type { TagInfo } from '../../shared/types';

interface Props {
  tags: string[];
  known: TagInfo[];
  onAdd: (tag: string) => Promise<void>;
  onRemove: (tag: string) => Promise<void>;
}

/** Tag chips of one message, with an input to add one (key `t` focuses it). */
export function TagEditor({ tags, known, onAdd, onRemove }: Props) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const colour = (name: string) => known.find((k) => k.name.toLowerCase() === name.toLowerCase())?.color ?? '#888888';

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (e.key === 't' && t.tagName !== 'INPUT' && t.tagName !== 'TEXTAREA') {
        e.preventDefault();
        input.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const submit = async () => {
    const tag = text.trim();
    if (!tag) return;
    try {
      await onAdd(tag);
      setText('');
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <div className="tag-editor" data-testid="tag-editor">
      {tags.map((t) => (
        <span key={t} className="chip" style={{ ['--chip' as string]: colour(t) }}>
          {t}
          <button aria-label={`Remove tag ${t}`} title="Remove tag" onClick={() => void onRemove(t)}>
            ×
          </button>
        </span>
      ))}
      <input
        ref={input}
        value={text}
        list="known-tags"
        placeholder="+ tag  (t)"
        aria-label="Add tag"
        data-testid="tag-input"
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') void submit();
          if (e.key === 'Escape') (e.target as HTMLInputElement).blur();
        }}
      />
      <datalist id="known-tags">
        {known.map((k) => (
          <option key={k.name} value={k.name} />
        ))}
      </datalist>
      {error && <span className="query-error">{error}</span>}
    </div>
  );
}
