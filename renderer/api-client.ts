import { openEventStream } from './event-stream';
import { harnessToken } from './harness-token';
import { API_EVENTS, type Api, type ApiArgs, type ApiError, type ApiEventName, type ApiEvents, type ApiMethod } from '../shared/api';

/** Thrown for an API error; `error.part` names the offending part of a bad query. */
export class CallError extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
  }
}

/** What the Electron preload exposes: one function per contract method, nothing else. */
type Bridge = Partial<Record<ApiMethod, (args: unknown) => Promise<unknown>>>;

/**
 * One client for both transports: the Electron preload bridge when present, else the loopback harness
 * (same-origin fetch with the token header).
 */
export async function call<M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<ReturnType<Api[M]>> {
  const bridge = (window as unknown as { casefile?: Bridge }).casefile;
  if (bridge?.[method]) return (await bridge[method]!(args)) as ReturnType<Api[M]>;
  const res = await fetch(`/api/${method}`, { method: 'POST', headers: harnessHeaders({ 'Content-Type': 'application/json' }), body: JSON.stringify(args) });
  const body = await res.json();
  if (!res.ok) throw new CallError(body.error);
  return body.result;
}

type EventListener = (name: string, data: unknown) => void;
const listeners = new Set<EventListener>();
let source: { close(): void } | null = null;

/**
 * Engine events (progress): from the Electron preload when present, else the harness's Server-Sent
 * Events stream (same origin, token header). Returns an unsubscribe function.
 */
export function subscribe<N extends ApiEventName>(name: N, callback: (data: ApiEvents[N]) => void): () => void {
  const listener: EventListener = (n, data) => n === name && callback(data as ApiEvents[N]);
  const bridge = (window as unknown as { casefileEvents?: { subscribe(l: EventListener): () => void } }).casefileEvents;
  if (bridge) return bridge.subscribe(listener);
  listeners.add(listener);
  if (!source) {
    source = openEventStream('/events', harnessHeaders({}), (n, data) => {
      if ((API_EVENTS as readonly string[]).includes(n)) listeners.forEach((l) => l(n, JSON.parse(data)));
    });
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      source?.close();
      source = null;
    }
  };
}

function harnessHeaders(headers: Record<string, string>): Record<string, string> {
  const token = harnessToken();
  return token ? { ...headers, 'X-Casefile-Token': token } : headers;
}
