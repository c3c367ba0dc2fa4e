import type { Api, ApiArgs, ApiError, ApiMethod } from '../shared/api';

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
 * (same-origin fetch; the harness cookie carries the token).
 */
export async function call<M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<ReturnType<Api[M]>> {
  const bridge = (window as unknown as { casefile?: Bridge }).casefile;
  if (bridge?.[method]) return (await bridge[method]!(args)) as ReturnType<Api[M]>;
  const res = await fetch(`/api/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(args) });
  const body = await res.json();
  if (!res.ok) throw new CallError(body.error);
  return body.result;
}
