import { useEscape } from '../escape-stack';

export const KEYS: [string, string][] = [
  ['j / k', 'next / previous message in the list'],
  ['Enter', 'open the selected message’s thread'],
  ['n / p', 'next / previous message within the open thread'],
  ['h / Shift-H (F3 / Shift-F3)', 'next / previous search hit in the open message, thread or document'],
  ['x', 'mark or unmark the selected message (for bulk tagging)'],
  ['Ctrl/Cmd-click, Shift-click', 'mark one message, a range'],
  ['t', 'tag the open message'],
  ['/', 'search'],
  ['Esc', 'close the dialog or viewer; leave the thread; back to the results'],
  ['?', 'this list'],
];

/** Every key the app answers to. */
export function HelpDialog({ onClose }: { onClose: () => void }) {
  useEscape(onClose);
  return (
    <div className="modal-backdrop" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" data-testid="help-dialog" onClick={onClose}>
      <div className="modal" onClick={(e) => e.stopPropagation()}>
        <h2>Keys</h2>
        <table className="keys">
          <tbody>
            {KEYS.map(([k, what]) => (
              <tr key={k}>
                <td>
                  <kbd>{k}</kbd>
                </td>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="modal-actions">
          <button onClick={onClose}>Close</button>
        </div>
      </div>
    </div>
  );
}
