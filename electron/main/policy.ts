// Security policy of the Electron shell as plain functions (no `electron` import), so that they are
// unit-tested here where Electron cannot run. main.ts wires them into Electron's hooks.
import path from 'node:path';
import { API_EVENTS, API_METHODS, SHELL_COMMANDS, type ApiEventName, type ApiMethod, type ShellCommand } from '../../shared/api';

export const APP_SCHEME = 'casefile';
export const APP_ORIGIN = `${APP_SCHEME}://app`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/**
 * The only requests the app may make: its own scheme, inline data, and blob: URLs the app itself made
 * (attachment bytes for "Save as…"). Everything else is cancelled.
 */
export function isAllowedRequest(url: string): boolean {
  return url.startsWith(`${APP_ORIGIN}/`) || url.startsWith('data:') || url.startsWith(`blob:${APP_ORIGIN}/`) || url === 'about:srcdoc' || url === 'about:blank';
}

/** Navigation of the main frame or any subframe to anything but the app itself is blocked. */
export function isAllowedNavigation(url: string): boolean {
  return url.startsWith(`${APP_ORIGIN}/`) || url === 'about:srcdoc';
}

/** IPC is answered only for the app's own top frame. */
export function isTrustedSender(frameUrl: string | undefined, isMainFrame: boolean): boolean {
  return Boolean(frameUrl && isMainFrame && frameUrl.startsWith(`${APP_ORIGIN}/`));
}

export function isApiMethod(method: unknown): method is ApiMethod {
  return typeof method === 'string' && (API_METHODS as readonly string[]).includes(method);
}

export function isApiEvent(name: unknown): name is ApiEventName {
  return typeof name === 'string' && (API_EVENTS as readonly string[]).includes(name);
}

export function isShellCommand(command: unknown): command is ShellCommand {
  return typeof command === 'string' && (SHELL_COMMANDS as readonly string[]).includes(command);
}

/** Evidence named on the command line or by a file association: existing-looking mail files only. */
export function evidenceArgs(argv: string[]): string[] {
  return argv.filter((a) => !a.startsWith('-') && /\.(mbox|mbx|eml|emlx)$/i.test(a));
}

/** Files of the built renderer that casefile://app/ may serve, by name (an allowlist, never a path). */
export const APP_ASSETS: Record<string, string> = {
  '/index.html': 'text/html; charset=utf-8',
  '/app.js': 'text/javascript; charset=utf-8',
  '/styles.css': 'text/css; charset=utf-8',
  // pdf.js parses attachments in this worker (no script from the PDF ever runs).
  '/pdf.worker.mjs': 'text/javascript; charset=utf-8',
};

/** Map a casefile://app/… URL to a file of the renderer folder, or null (no traversal possible). */
export function resolveAppAsset(url: string, rendererDir: string): { file: string; type: string } | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== 'app') return null;
  const type = APP_ASSETS[u.pathname];
  return type ? { file: path.join(rendererDir, u.pathname.slice(1)), type } : null;
}
