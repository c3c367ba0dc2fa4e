import type { MessageJson } from '../../shared/types';
import { dateZone, offsetLabel, setDateZone } from '../date-zone';
import { formatDate } from '../format';

/** The reading pane's Date: as the sender wrote it (with their offset), in the display zone, and where it came from. */
export function DateLine({ msg }: { msg: MessageJson }) {
  const zone = dateZone();
  return (
    <span className="date-line" data-testid="date-line">
      {msg.dateSource ? (
        <span className="date-fallback" title="The message has no usable Date header; it is sorted and filtered by this date.">
          no usable Date header — date from {msg.dateSource === 'received' ? 'Received (first hop)' : 'the mbox From_ line (zone unknown, read as UTC)'}:{' '}
        </span>
      ) : (
        <>
          {msg.dateHeader ?? '—'}
          {msg.timezoneOffsetMinutes !== null && <span className="muted"> (sender's zone {offsetLabel(msg.timezoneOffsetMinutes)})</span>}
          {msg.date && ' = '}
        </>
      )}
      {msg.date && <b>{formatDate(msg.date, true)}</b>}{' '}
      <button className="link" onClick={() => setDateZone(zone === 'utc' ? 'local' : 'utc')} data-testid="date-zone-toggle" title="Display dates in UTC or in this computer's zone (remembered)">
        show in {zone === 'utc' ? 'local time' : 'UTC'}
      </button>
    </span>
  );
}
