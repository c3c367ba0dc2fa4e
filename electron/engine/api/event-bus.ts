import type { ApiEventName, ApiEvents } from '../../../shared/api';

type Listener = <N extends ApiEventName>(name: N, data: ApiEvents[N]) => void;

/** Where the handler table publishes progress; each transport forwards it to its UI. */
export class ApiEventBus {
  private readonly listeners = new Set<Listener>();

  emit<N extends ApiEventName>(name: N, data: ApiEvents[N]): void {
    for (const l of this.listeners) l(name, data);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** At most one event per `ms` from a fast producer, and always the last one (call flush()). */
export function throttle<T>(ms: number, send: (v: T) => void): { push(v: T): void; flush(): void } {
  let last = 0;
  let pending: T | undefined;
  return {
    push(v) {
      pending = v;
      const now = Date.now();
      if (now - last >= ms) {
        last = now;
        send(v);
        pending = undefined;
      }
    },
    flush() {
      if (pending !== undefined) send(pending);
      pending = undefined;
    },
  };
}
