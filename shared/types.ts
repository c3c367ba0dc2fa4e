// The data shapes shared by the engine, the CLI, Electron main/preload and the renderer.
// JSON field names here are a public interface (CLI --json output): add, never rename.

export interface Address {
  name: string;
  address: string;
}

export interface Location {
  path: string;
  offset: number;
  length: number;
  sha256: string;
  /** Set when the bytes are inside an archive: `offset`/`length` are then inside the innermost entry. */
  container?: ContainerRef;
}

/** Provenance through archives: the evidence file, its SHA-256, then entry names down to the mail file. */
export interface ContainerRef {
  path: string;
  sha256: string | null;
  entry: string[];
}

/** One entry of an archive source: mail file, nested archive, other file, or one that could not be read. */
export interface ContainerEntryInfo {
  entry: string[];
  role: 'mail' | 'container' | 'other' | 'skipped' | 'problem';
  /** mbox / eml / emlx, the archive format, or the sniffed MIME type of another file; the error code of a problem. */
  detected: string | null;
  size: number | null;
  sha256: string | null;
  detail: string | null;
}

export interface ParseIssue {
  code: string;
  message: string;
}

export interface AttachmentInfo {
  index: number;
  filename: string | null;
  contentType: string;
  sniffedType: string | null;
  /** True when the magic bytes contradict the declared type. */
  typeMismatch: boolean;
  size: number;
  sha256: string;
  disposition: string | null;
  contentId: string | null;
}

export interface MessageSummary {
  id: number;
  sha256: string;
  messageId: string | null;
  date: string | null;
  from: Address[];
  subject: string | null;
  threadId: number | null;
  size: number;
  hasAttachments: boolean;
  tags: string[];
  hasErrors: boolean;
}

export interface MessageJson extends MessageSummary {
  /** The first location where these bytes were found. */
  source: Location;
  /** Every location (duplicates in several files or archives). */
  locations: Location[];
  /** The Date header as written, and its timezone offset in minutes east of UTC. */
  dateHeader: string | null;
  timezoneOffsetMinutes: number | null;
  to: Address[];
  cc: Address[];
  bcc: Address[];
  replyTo: Address[];
  inReplyTo: string | null;
  references: string[];
  attachments: AttachmentInfo[];
  errors: ParseIssue[];
  preview: string;
  /**
   * Other messages carrying the same Message-ID but different content. Copies whose body differs only in
   * whitespace are merged as duplicates; anything else is kept apart, because a forgery can reuse a
   * genuine Message-ID.
   */
  sameMessageId: number[];
  /** The investigator's free-text note on this message, if any. */
  note: string | null;
  /** Offline DKIM/ARC verdicts, Received hops and anomaly flags; null until the authenticity pass ran. */
  auth: AuthReport | null;
}

export interface SourceInfo {
  id: number;
  path: string;
  kind: SourceKind;
  bytes: number;
  sha256: string | null;
  status: 'pending' | 'partial' | 'done' | 'failed';
  ingestedBytes: number;
  messages: number;
  errors: number;
  /** For a mail file inside an archive: the archive's source id and the chain of entry names. */
  parentId?: number | null;
  entry?: string[] | null;
  /** For an archive: how many of its entries were taken for what (see ContainerEntryInfo.role). */
  entryCounts?: Partial<Record<ContainerEntryInfo['role'], number>>;
}

export type SourceKind = 'mbox' | 'eml' | 'emlx' | 'zip' | 'tar' | 'gzip' | 'bzip2' | '7z' | 'rar';

export interface IngestProgress {
  source: string;
  sourceIndex: number;
  sourceCount: number;
  bytesDone: number;
  bytesTotal: number;
  messages: number;
  messagesPerSecond: number;
  bytesPerSecond: number;
  etaSeconds: number | null;
}

export interface IngestSummary {
  messages: number;
  duplicates: number;
  errors: number;
  skippedSources: string[];
  sources: { path: string; bytes: number; sha256: string | null }[];
  seconds: number;
  cancelled: boolean;
}

export interface ThreadNode {
  /** Case message id, or null for a ghost (a message referenced but not in the archive). */
  id: number | null;
  messageId: string | null;
  ghost: boolean;
  date: string | null;
  from: Address[];
  subject: string | null;
  children: ThreadNode[];
}

export interface ThreadJson {
  threadId: number;
  subject: string | null;
  messageCount: number;
  root: ThreadNode;
}

export interface CaseStats {
  messages: number;
  locations: number;
  duplicates: number;
  threads: number;
  attachments: number;
  errors: number;
  dateRange: { first: string | null; last: string | null };
  topSenders: { address: string; name: string; count: number }[];
  sources: SourceInfo[];
}

export interface MessagePage {
  total: number;
  messages: MessageSummary[];
}

export interface SearchHit {
  id: number;
  score: number;
  date: string | null;
  from: Address[];
  subject: string | null;
  snippet: string;
  /** [start, end) ranges of `snippet` that matched the query. */
  highlights: [number, number][];
  hasAttachments: boolean;
  tags: string[];
}

export interface SearchResult {
  total: number;
  /** Time spent inside the engine answering the query (not process start or case opening). */
  tookMs: number;
  hits: SearchHit[];
  /** Query words ignored because they carry no meaning for the index (stop words). */
  ignored: string[];
  /** False when some messages are not in the index yet (run `casefile index`). */
  indexComplete: boolean;
}

export type SearchSort = 'relevance' | 'date';

/** What the reading pane shows: re-parsed from the original bytes on demand (never stored). */
export interface MessageBody {
  id: number;
  text: string;
  /** The HTML part as written by the sender: untrusted, sanitized and sandboxed by the viewer. */
  html: string | null;
  /** Inline parts referenced as cid: in the HTML, as data: URLs (images only). */
  inline: Record<string, string>;
  headers: { name: string; value: string }[];
}

export interface TagInfo {
  name: string;
  /** #rrggbb */
  color: string;
  /** Messages carrying the tag. */
  count: number;
}

export interface TagChange {
  tag: string;
  /** Messages whose tags actually changed. */
  changed: number;
  /** Messages the selection named. */
  matched: number;
}

export interface NoteInfo {
  id: number;
  text: string;
  updatedAt: string;
}

/** Which messages an action applies to: explicit ids, the thread of a message, every hit of a query, or a tag. */
export type Selection = { ids: number[] } | { threadOf: number } | { query: string } | { tag: string };

export type ExportFormat = 'mbox' | 'eml' | 'csv' | 'json';

export interface ExportRequest {
  selection: { tag: string } | { query: string };
  format: ExportFormat;
  /** Directory to create (or, with zip, the .zip file to create). Must not exist unless overwrite. */
  out: string;
  attachments?: boolean;
  zip?: boolean;
  overwrite?: boolean;
}

export interface ExportResult {
  out: string;
  format: ExportFormat;
  messages: number;
  attachments: number;
  files: number;
  bytes: number;
  /** SHA-256 of manifest.json (also written to manifest.sha256 and the case audit log). */
  manifestSha256: string;
}

export interface VerifyReport {
  ok: boolean;
  path: string;
  manifest: 'ok' | 'altered' | 'missing';
  checked: number;
  missing: string[];
  extra: string[];
  altered: string[];
  /** Messages whose bytes inside an exported mbox no longer hash to the original SHA-256. */
  alteredMessages: { id: number; file: string }[];
}

/** One DKIM signature of a message, checked offline. */
export interface DkimVerdict {
  domain: string;
  selector: string;
  /** e.g. rsa-sha256 */
  algorithm: string;
  /** e.g. relaxed/relaxed */
  canonicalization: string;
  /** The body hash check, which needs no key: does the body still hash to the signed bh= value? */
  bodyHash: 'body-ok' | 'body-altered' | 'unsupported';
  /** Full verification against an imported key. */
  result: 'pass' | 'fail' | 'no-key' | 'unsupported';
  reason: string | null;
  /** Where the key came from (imported file), and the SHA-256 of the key record; null without a key. */
  keySource: string | null;
  keySha256: string | null;
  /** l= was used: only the first `bodyLengthLimit` bytes of the body are signed (content can be appended). */
  bodyLengthLimit: number | null;
  headerFields: string[];
}

export interface ArcVerdict {
  /** fail includes a seal whose key is not in the case key store (the reason then says so). */
  result: 'pass' | 'fail' | 'none';
  reason: string | null;
  /** How many ARC sets (hops) the chain has. */
  instances: number;
}

export interface ReceivedHop {
  from: string | null;
  by: string | null;
  with: string | null;
  id: string | null;
  for: string | null;
  date: string | null;
  /** Seconds since the previous hop (the one below it, earlier in transit); negative = clock went backwards. */
  delaySeconds: number | null;
}

/** A hint that something is unusual; never proof. */
export interface AnomalyFlag {
  name: string;
  message: string;
}

export interface AuthReport {
  dkim: DkimVerdict[];
  arc: ArcVerdict;
  /** In transit order: the first hop (closest to the sender) first. */
  received: ReceivedHop[];
  flags: AnomalyFlag[];
}

/** An attachment's decoded bytes, for preview and "Save as…" (exact bytes, re-hashed against ingest). */
export interface AttachmentContent {
  index: number;
  filename: string | null;
  contentType: string;
  sniffedType: string | null;
  size: number;
  sha256: string;
  base64: string;
}
