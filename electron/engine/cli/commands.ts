import type { Command } from './command';

export type { Command } from './command';

/**
 * The CLI's commands. Each is loaded only when it runs: `casefile list` never loads the parser, the search
 * engine or the HTTP server (start-up time is most of a short command's cost). `summary` is for the
 * top-level help; test/unit/cli-commands.test.ts checks it equals the command's own.
 */
export const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  ingest: { summary: 'ingest mbox / eml / Maildir / emlx sources into a case (resumable)', load: async () => (await import('./commands/ingest')).ingestCommand },
  list: { summary: 'list messages by date', load: async () => (await import('./commands/list')).listCommand },
  search: { summary: 'full-text search with the Casefile query language', load: async () => (await import('./commands/search')).searchCommand },
  index: { summary: 'bring the search index up to date (after an interrupted ingest)', load: async () => (await import('./commands/index')).indexCommand },
  serve: { summary: 'serve the viewer and the API on 127.0.0.1 (browser harness)', load: async () => (await import('./commands/serve')).serveCommand },
  show: { summary: 'show one message (metadata, or --raw for the exact original bytes)', load: async () => (await import('./commands/show')).showCommand },
  thread: { summary: 'print the thread tree containing a message', load: async () => (await import('./commands/thread')).threadCommand },
  stats: { summary: 'counts, date range, top senders, sources', load: async () => (await import('./commands/stats')).statsCommand },
  tag: { summary: 'add (or --remove) a tag on messages by id, thread or query', load: async () => (await import('./commands/tag')).tagCommand },
  tags: { summary: 'list tags with counts; --export/--import a tag file to merge analysts\' work', load: async () => (await import('./commands/tags')).tagsCommand },
  note: { summary: 'set (or print) the free-text note of a message', load: async () => (await import('./commands/note')).noteCommand },
  docs: { summary: 'list documents (attachments, embedded and loose files) with their metadata', load: async () => (await import('./commands/docs')).docsCommand },
  ocr: { summary: 'recognise text (OCR, French + English) in scanned PDFs and images of a case (resumable)', load: async () => (await import('./commands/ocr')).ocrCommand },
  export: { summary: 'export a tag or query as mbox, .eml files, CSV or JSON, with a manifest of SHA-256s', load: async () => (await import('./commands/export')).exportCommand },
  verify: { summary: 'check an export (folder or .zip) against its manifest', load: async () => (await import('./commands/verify')).verifyCommand },
  'verify-auth': { summary: 'check DKIM and ARC signatures offline, against imported keys; Received chain and anomaly flags', load: async () => (await import('./commands/verify-auth')).verifyAuthCommand },
  keys: { summary: 'import DKIM/ARC public keys (DNS TXT records) into a case, for offline verification', load: async () => (await import('./commands/keys')).keysCommand },
  audit: { summary: 'print the case audit log; --verify checks its hash chain and anchored head', load: async () => (await import('./commands/audit')).auditCommand },
};
