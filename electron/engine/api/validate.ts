import type { ApiError } from '../../../shared/api';

/** A rejected call: the transport turns it into a 4xx / IPC error with this payload. */
export class ApiFailure extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
  }
}

export function badRequest(message: string): ApiFailure {
  return new ApiFailure({ code: 'bad-request', message });
}

/** Arguments arrive from an untrusted renderer: accept only a plain object with the expected fields. */
export function objectArg(args: unknown): Record<string, unknown> {
  if (args === undefined) return {};
  if (typeof args !== 'object' || args === null || Array.isArray(args)) throw badRequest('arguments must be an object');
  return args as Record<string, unknown>;
}

export function intArg(o: Record<string, unknown>, name: string, { min = 0, max = Number.MAX_SAFE_INTEGER, fallback }: { min?: number; max?: number; fallback?: number } = {}): number {
  const v = o[name] ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw badRequest(`${name} must be an integer from ${min} to ${max}`);
  return v;
}

export function stringArg(o: Record<string, unknown>, name: string, maxLength = 4096): string {
  const v = o[name];
  if (typeof v !== 'string' || v.length > maxLength) throw badRequest(`${name} must be a string of at most ${maxLength} characters`);
  return v;
}
