// The one typed contract between the UI and the engine. Electron IPC (preload) and the loopback browser
// harness are two transports over the same handler table (electron/engine/api/handlers.ts).
import type { CaseStats, MessageBody, MessageJson, MessagePage, SearchResult, SearchSort, ThreadJson } from './types';

export interface Api {
  stats(args: Record<string, never>): CaseStats;
  listMessages(args: { limit: number; offset: number }): MessagePage;
  getMessage(args: { id: number }): MessageJson;
  getBody(args: { id: number }): MessageBody;
  getThread(args: { id: number }): ThreadJson;
  search(args: { query: string; limit: number; offset: number; sort?: SearchSort }): SearchResult;
  /** The exact original bytes of a message, as latin1-safe base64 (for the raw source view). */
  getRaw(args: { id: number }): { base64: string; sha256: string };
}

export type ApiMethod = keyof Api;
export type ApiArgs<M extends ApiMethod> = Parameters<Api[M]>[0];
export type ApiResult<M extends ApiMethod> = ReturnType<Api[M]>;

/** The methods the UI may call, and nothing else (the preload exposes exactly these). */
export const API_METHODS: readonly ApiMethod[] = ['stats', 'listMessages', 'getMessage', 'getBody', 'getThread', 'search', 'getRaw'];

/** An error the UI can show: `code` is stable, `message` is for people. */
export interface ApiError {
  code: 'bad-request' | 'not-found' | 'bad-query' | 'internal';
  message: string;
  part?: string;
}
