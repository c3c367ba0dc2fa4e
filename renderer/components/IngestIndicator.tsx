import { useEffect, useRef, useState } from 'react';
import type { IngestStatus } from '../../shared/api';
import { call, subscribe } from '../api-client';

/** How often the list, counts and overview are refreshed while messages arrive. */
const GROW_MS = 2000;

/**
 * While an ingest runs (dialog open or not): its progress in the top bar, and the list, search and overview
 * refreshed every few seconds, so that reading can start before a long ingest ends.
 */
export function IngestIndicator({ onGrow, onOpen }: { onGrow: () => void; onOpen: () => void }) {
  const [status, setStatus] = useState<IngestStatus | null>(null);
  const lastGrow = useRef(0);
  const grow = useRef(onGrow);
  grow.current = onGrow;
  useEffect(() => {
    let wasRunning = false;
    // Whether the list was refreshed since the first messages were stored: the first rows are shown at
    // once, not up to GROW_MS later (a short ingest could otherwise end before its rows ever showed).
    let grewWithMessages = false;
    const update = (s: IngestStatus) => {
      setStatus(s);
      const now = Date.now();
      const stored = (s.progress?.messages ?? 0) > 0;
      if (s.state === 'running' && (now - lastGrow.current > GROW_MS || (stored && !grewWithMessages))) {
        lastGrow.current = now;
        grewWithMessages ||= stored;
        grow.current();
      }
      if (wasRunning && s.state !== 'running') grow.current();
      wasRunning = s.state === 'running';
    };
    void call('ingestStatus', {}).then(update);
    const unsubscribe = subscribe('ingestProgress', update);
    // Events may be sparse (a slow source); a slow poll keeps the list growing.
    const timer = setInterval(() => wasRunning && void call('ingestStatus', {}).then(update), GROW_MS);
    return () => {
      unsubscribe();
      clearInterval(timer);
    };
  }, []);
  if (status?.state !== 'running') return null;
  const p = status.progress;
  const pct = p && p.bytesTotal ? Math.floor((100 * p.bytesDone) / p.bytesTotal) : 0;
  return (
    <button className="small ingest-indicator" onClick={onOpen} data-testid="ingest-indicator" title="An ingest is running: the list fills as messages arrive">
      Ingesting {pct} %{p ? ` · ${p.messages} messages` : ''}
    </button>
  );
}
