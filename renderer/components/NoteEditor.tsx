import { useEffect, useState } from 'react';

/** The investigator's note on a message; saved on blur or Ctrl/Cmd+Enter, every save audited. */
export function NoteEditor({ note, onSave }: { note: string | null; onSave: (text: string) => Promise<void> }) {
  const [text, setText] = useState(note ?? '');
  const [state, setState] = useState<'saved' | 'dirty' | 'saving' | 'error'>('saved');
  useEffect(() => {
    setText(note ?? '');
    setState('saved');
  }, [note]);

  const save = async () => {
    if (state !== 'dirty') return;
    setState('saving');
    try {
      await onSave(text);
      setState('saved');
    } catch {
      setState('error');
    }
  };

  return (
    <div className="note-editor">
      <textarea
        value={text}
        placeholder="Note on this message (saved on leaving the field, Ctrl+Enter)"
        aria-label="Note"
        data-testid="note-input"
        rows={text ? 3 : 1}
        onChange={(e) => {
          setText(e.target.value);
          setState('dirty');
        }}
        onBlur={() => void save()}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void save();
        }}
      />
      <span className="muted note-state" data-testid="note-state">
        {{ saved: note ? 'saved' : '', dirty: 'unsaved', saving: 'saving…', error: 'not saved — try again' }[state]}
      </span>
    </div>
  );
}
