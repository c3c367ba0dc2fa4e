import type Database from 'better-sqlite3';

/**
 * Schema migrations, applied in order; PRAGMA user_version records how many ran. Never edit a shipped
 * migration: add a new one.
 */
export const MIGRATIONS: string[] = [
  // 1: sources, messages and their locations, attachments, threads, tags, notes, audit.
  `
  CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ms INTEGER NOT NULL,
    sha256 TEXT,
    status TEXT NOT NULL DEFAULT 'pending',
    ingested_offset INTEGER NOT NULL DEFAULT 0,
    messages INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0,
    added_at TEXT NOT NULL,
    finished_at TEXT
  );
  CREATE INDEX sources_sha ON sources(sha256);

  CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL,
    message_id TEXT,
    date_ms INTEGER,
    date_header TEXT,
    tz_offset_min INTEGER,
    from_json TEXT NOT NULL,
    from_addr TEXT,
    to_json TEXT NOT NULL,
    cc_json TEXT NOT NULL,
    bcc_json TEXT NOT NULL,
    reply_to_json TEXT NOT NULL,
    subject TEXT,
    in_reply_to TEXT,
    references_json TEXT NOT NULL,
    size INTEGER NOT NULL,
    attachment_count INTEGER NOT NULL,
    has_html INTEGER NOT NULL,
    preview TEXT NOT NULL,
    body_key TEXT NOT NULL,
    errors_json TEXT NOT NULL,
    error_count INTEGER NOT NULL,
    thread_id INTEGER
  );
  CREATE INDEX messages_date ON messages(date_ms, id);
  CREATE INDEX messages_msgid ON messages(message_id);
  CREATE INDEX messages_sha ON messages(sha256);
  CREATE INDEX messages_thread ON messages(thread_id);
  CREATE INDEX messages_from ON messages(from_addr);

  CREATE TABLE locations (
    id INTEGER PRIMARY KEY,
    message_id INTEGER NOT NULL REFERENCES messages(id),
    source_id INTEGER NOT NULL REFERENCES sources(id),
    offset INTEGER NOT NULL,
    length INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    envelope TEXT,
    mbox_quoted INTEGER NOT NULL DEFAULT 0,
    UNIQUE (source_id, offset)
  );
  CREATE INDEX locations_message ON locations(message_id);
  CREATE INDEX locations_sha ON locations(sha256);

  CREATE TABLE attachments (
    message_id INTEGER NOT NULL REFERENCES messages(id),
    idx INTEGER NOT NULL,
    filename TEXT,
    content_type TEXT NOT NULL,
    sniffed_type TEXT,
    type_mismatch INTEGER NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    disposition TEXT,
    content_id TEXT,
    PRIMARY KEY (message_id, idx)
  );
  CREATE INDEX attachments_sha ON attachments(sha256);

  CREATE TABLE threads (
    id INTEGER PRIMARY KEY,
    subject TEXT,
    message_count INTEGER NOT NULL,
    first_date_ms INTEGER,
    last_date_ms INTEGER
  );
  -- The JWZ tree, ghosts included: one row per container.
  CREATE TABLE thread_nodes (
    thread_id INTEGER NOT NULL,
    node INTEGER NOT NULL,
    parent_node INTEGER,
    message_row INTEGER,
    ghost_message_id TEXT,
    position INTEGER NOT NULL,
    PRIMARY KEY (thread_id, node)
  );

  CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    color TEXT NOT NULL DEFAULT '#888888',
    created_at TEXT NOT NULL
  );
  CREATE TABLE message_tags (
    message_id INTEGER NOT NULL REFERENCES messages(id),
    tag_id INTEGER NOT NULL REFERENCES tags(id),
    PRIMARY KEY (message_id, tag_id)
  );
  CREATE INDEX message_tags_tag ON message_tags(tag_id);
  CREATE TABLE notes (
    message_id INTEGER PRIMARY KEY REFERENCES messages(id),
    text TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    details_json TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
  );
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  `,
  // 2: extracted text (derived data for search, phrases and snippets; deflate-compressed) and the
  // manifest of persisted search-index shards.
  `
  CREATE TABLE message_text (
    id INTEGER PRIMARY KEY REFERENCES messages(id),
    body BLOB NOT NULL
  );
  CREATE TABLE index_shards (
    seq INTEGER PRIMARY KEY,
    file TEXT NOT NULL,
    first_id INTEGER NOT NULL,
    last_id INTEGER NOT NULL,
    docs INTEGER NOT NULL,
    sealed INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    created_at TEXT NOT NULL
  );
  `,
  // 3: authenticity. DKIM/ARC public keys the user imported (never fetched), per-message verdicts, and
  // the terms search filters on (dkim:pass, arc:fail, flag:<name>).
  `
  CREATE TABLE dkim_keys (
    name TEXT PRIMARY KEY,
    record TEXT NOT NULL,
    record_sha256 TEXT NOT NULL,
    source TEXT NOT NULL,
    source_sha256 TEXT NOT NULL,
    imported_at TEXT NOT NULL
  );
  CREATE TABLE message_auth (
    message_id INTEGER PRIMARY KEY REFERENCES messages(id),
    keys_version INTEGER NOT NULL,
    signed INTEGER NOT NULL,
    result_json TEXT NOT NULL,
    verified_at TEXT NOT NULL
  );
  CREATE TABLE message_auth_terms (
    term TEXT NOT NULL,
    message_id INTEGER NOT NULL REFERENCES messages(id),
    PRIMARY KEY (term, message_id)
  );
  CREATE INDEX message_auth_terms_message ON message_auth_terms(message_id);
  `,
  // 4: key history (auth/key-history.ts): when a key was seen in use, retired, its private key published.
  `
  ALTER TABLE dkim_keys ADD COLUMN first_seen TEXT;
  ALTER TABLE dkim_keys ADD COLUMN last_seen TEXT;
  ALTER TABLE dkim_keys ADD COLUMN retired TEXT;
  ALTER TABLE dkim_keys ADD COLUMN private_key_published TEXT;
  ALTER TABLE dkim_keys ADD COLUMN origin TEXT;
  `,
  // 5: documents (attachments, their embedded files, loose files): one row per distinct SHA-256, extracted
  // once; loose files of an ingested folder with their provenance; anomaly flags on documents.
  `
  CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    parent_sha256 TEXT,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    size INTEGER NOT NULL,
    meta_json TEXT NOT NULL,
    exif_json TEXT,
    errors_json TEXT NOT NULL,
    pages BLOB,
    text_chars INTEGER NOT NULL DEFAULT 0,
    author TEXT,
    last_modified_by TEXT,
    application TEXT,
    modified TEXT,
    modified_ms INTEGER,
    extracted_at TEXT NOT NULL
  );
  CREATE INDEX documents_parent ON documents(parent_sha256);
  CREATE INDEX documents_modified ON documents(modified_ms);
  CREATE TABLE loose_files (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL,
    mtime_ms INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    sniffed_type TEXT,
    ingested_at TEXT NOT NULL
  );
  CREATE INDEX loose_files_sha ON loose_files(sha256);
  CREATE TABLE document_flags (
    sha256 TEXT NOT NULL,
    name TEXT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (sha256, name)
  );
  `,
  // 6: search shards name the case they belong to (a random id, made once) and index_shards records
  // each shard's CRC-32, so a missing, damaged or swapped shard file is recognised.
  `
  INSERT OR IGNORE INTO meta (key, value) VALUES ('case_id', lower(hex(randomblob(16))));
  ALTER TABLE index_shards ADD COLUMN checksum INTEGER;
  `,
  // 7: containers. A mail file found inside an archive is a source of its own (parent_id = the archive's
  // source, entry_path = JSON chain of entry names); container_entries lists every entry of an archive
  // (mail, nested archive, other file, skipped or failed) with its size, SHA-256 and what it was taken for.
  `
  ALTER TABLE sources ADD COLUMN parent_id INTEGER REFERENCES sources(id);
  ALTER TABLE sources ADD COLUMN entry_path TEXT;
  CREATE INDEX sources_parent ON sources(parent_id);
  CREATE TABLE container_entries (
    id INTEGER PRIMARY KEY,
    container_id INTEGER NOT NULL REFERENCES sources(id),
    entry_path TEXT NOT NULL,
    role TEXT NOT NULL,
    detected TEXT,
    size INTEGER,
    sha256 TEXT,
    mail_source_id INTEGER REFERENCES sources(id),
    detail TEXT,
    UNIQUE (container_id, entry_path)
  );
  `,
  // 8: where a message's date came from when it has no usable Date header (auth/fallback-date.ts):
  // 'received' (the first Received hop) or 'mbox-from' (the mbox envelope line); NULL = the Date header.
  `
  ALTER TABLE messages ADD COLUMN date_source TEXT;
  `,
  // 9: several keys per selector (rotations: the same name published different keys over the years): a key
  // is now identified by its name and record, and verification tries each (auth/key-store.ts).
  `
  CREATE TABLE dkim_keys_v9 (
    name TEXT NOT NULL,
    record TEXT NOT NULL,
    record_sha256 TEXT NOT NULL,
    source TEXT NOT NULL,
    source_sha256 TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    first_seen TEXT,
    last_seen TEXT,
    retired TEXT,
    private_key_published TEXT,
    origin TEXT,
    PRIMARY KEY (name, record_sha256)
  );
  INSERT INTO dkim_keys_v9 SELECT name, record, record_sha256, source, source_sha256, imported_at, first_seen, last_seen, retired, private_key_published, origin FROM dkim_keys;
  DROP TABLE dkim_keys;
  ALTER TABLE dkim_keys_v9 RENAME TO dkim_keys;
  `,
  // 10: OCR of scanned PDFs and images (ocr/ocr-pass.ts), opt-in and resumable: one state per document
  // ('done' | 'empty' | 'failed'; NULL = not tried), the recognised text kept apart from the document's own.
  `
  ALTER TABLE documents ADD COLUMN ocr_state TEXT;
  ALTER TABLE documents ADD COLUMN ocr_error TEXT;
  ALTER TABLE documents ADD COLUMN ocr_pages BLOB;
  ALTER TABLE documents ADD COLUMN ocr_chars INTEGER;
  ALTER TABLE documents ADD COLUMN ocr_at TEXT;
  `,
  // 11: message dates by id in a compact covering index (≈18 bytes a message): a relevance page looks up the
  // dates of its tied candidates, and by the table's primary key each read a table page of wide rows —
  // ≈2,000 pages for the 2,429 tied hits of a `from:` address at 100k, ≈65 ms from a cold page cache
  // (search/page-order.ts datesOf). Here the same ids sit ≈230 to a page.
  `
  CREATE INDEX messages_id_date ON messages(id, date_ms);
  `,
  // 12: the messages the authenticity pass dated (date_source set: only those without a usable Date), apart.
  // The facet cache checks their count when it is read and written (facets/facet-cache.ts): without this
  // index a scan of every message row, ≈0.5 s at 1M messages from a warm page cache and ≈4 s from disk.
  // Nothing is added at insert (date_source is NULL then).
  `
  CREATE INDEX messages_dated ON messages(id) WHERE date_source IS NOT NULL;
  `,
];

export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`case database schema v${current} is newer than this Casefile (v${MIGRATIONS.length}); upgrade Casefile`);
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
