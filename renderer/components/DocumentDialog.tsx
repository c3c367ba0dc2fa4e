import { useEscape } from '../escape-stack';
import { parseRoute } from '../hash-route';
import { DocumentPanel } from './DocumentPanel';

/** The document panel of an attachment, over the reading pane. */
export function DocumentDialog({ id, onClose }: { id: number; onClose: () => void }) {
  useEscape(onClose);
  return (
    <div className="modal-backdrop" role="dialog" aria-modal="true" aria-label="Document" data-testid="document-dialog">
      <div className="modal wide-modal document-modal">
        {/* The current search's words are highlighted in the text. */}
        <DocumentPanel id={id} query={parseRoute(window.location.hash).query} />
        <div className="modal-actions">
          <button onClick={onClose}>Close</button>
        </div>
      </div>
    </div>
  );
}
