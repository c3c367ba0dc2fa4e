// Shared by the resume tests (mbox, Maildir): a case's comparable state, and a real CLI ingest to kill.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { CaseStore } from '../../electron/engine/store/case-store';
import { REPO } from './corpora';

/**
 * Everything that must be identical between an interrupted+resumed ingest and an uninterrupted one.
 * `documents`: also the attachments' extracted documents (text, metadata, errors, flags) — only for
 * cases built with extraction on both ways.
 */
export function snapshot(caseDir: string, { documents = false } = {}) {
  const store = CaseStore.open(caseDir);
  const db = store.db;
  const result = {
    ...(documents ? documentsOf(db) : {}),
    messages: (db.prepare('SELECT COUNT(*) n FROM messages').get() as any).n,
    locations: db.prepare('SELECT s.path, l.offset, l.length, l.sha256, m.sha256 AS msg FROM locations l JOIN messages m ON m.id = l.message_id JOIN sources s ON s.id = l.source_id ORDER BY s.path, l.offset').all(),
    sources: db.prepare('SELECT path, sha256, status, ingested_offset, messages FROM sources ORDER BY path').all(),
    threads: (db.prepare('SELECT COUNT(*) n FROM threads').get() as any).n,
    // The search index covers every message exactly once (no double indexing after a resume).
    indexedDocs: (db.prepare('SELECT SUM(docs) n FROM index_shards').get() as any).n,
  };
  store.close();
  return result;
}

/** Start the real CLI on the archive; resolves once the case has committed at least one batch. */
export function startCli(source: string, caseDir: string) {
  const child = spawn(process.execPath, [path.join(REPO, 'bin/casefile.mjs'), 'ingest', source, '--case', caseDir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  const progressed = (async () => {
    const dbFile = path.join(caseDir, 'case.sqlite');
    // Up to 2 min: on a loaded 2-core machine the CLI's start (tsx, workers) alone can take 30 s.
    for (let i = 0; i < 2400; i++) {
      await new Promise((r) => setTimeout(r, 50));
      if (!existsSync(dbFile)) continue;
      try {
        const db = new Database(dbFile, { readonly: true, fileMustExist: true });
        const row = db.prepare('SELECT MAX(ingested_offset) o FROM sources').get() as { o: number | null } | undefined;
        db.close();
        if (row?.o && row.o > 0) return row.o;
      } catch {
        // The schema may not exist yet.
      }
    }
    throw new Error(`ingest made no progress: ${stderr}`);
  })();
  return { child, exited, progressed, stderr: () => stderr };
}

/** Each attachment (by message hash) with its document, and every document row but its extraction time. */
function documentsOf(db: CaseStore['db']) {
  return {
    attachments: db.prepare('SELECT m.sha256 AS msg, a.idx, a.filename, a.sha256, d.sha256 AS document FROM attachments a JOIN messages m ON m.id = a.message_id LEFT JOIN documents d ON d.sha256 = a.sha256 ORDER BY m.sha256, a.idx').all(),
    documents: db.prepare("SELECT sha256, parent_sha256, name, type, size, meta_json, exif_json, errors_json, hex(pages) pages, text_chars, author, last_modified_by, application, modified FROM documents ORDER BY sha256").all(),
    documentFlags: db.prepare('SELECT sha256, name, reason FROM document_flags ORDER BY sha256, name').all(),
  };
}
