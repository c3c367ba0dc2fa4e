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
  /**
   * Set when the message bytes are not a byte range of the file: what they are instead. Outlook items (PST/OST,
   * .msg) are re-encoded as .eml; `offset` is then the PST item's node id (0 for a .msg file).
   */
  derivation?: string;
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
  role: 'mail' | 'container' | 'document' | 'other' | 'skipped' | 'problem';
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
  /** The extracted document for these bytes (metadata, flags, errors), when extraction ran. */
  document?: DocumentJson;
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
  /** How many other messages carry the same Message-ID with different content (versions); 0 for most. */
  versionCount?: number;
  /** Where `date` comes from when the Date header is missing or unusable: the first Received hop or the mbox From_ line. */
  dateSource?: 'received' | 'mbox-from';
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
  /** The same messages as sameMessageId, with what differs from this one (see VersionSide.differences). */
  versions: MessageVersion[];
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

export type SourceKind = 'mbox' | 'eml' | 'emlx' | 'pst' | 'msg' | 'zip' | 'tar' | 'gzip' | 'bzip2' | '7z' | 'rar';

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
  /** Files of the given folders that are not mail, recorded as documents in this run. */
  looseDocuments?: number;
  /** skippedSources as records; `pathHex` holds a name's exact bytes when they are not UTF-8. */
  skipped?: { path: string; pathHex?: string; reason: string }[];
  /** Evidence that changed during or since ingest (grown, modified), and what was done about it. */
  warnings?: string[];
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
  /** Other versions of this message (same Message-ID, different content). */
  versionCount?: number;
  dateSource?: MessageSummary['dateSource'];
  /** Attachments whose extracted text holds the query's words (page: 1-based, PDFs). */
  documentHits?: DocumentHit[];
}

export interface DocumentHit {
  attachmentIndex: number;
  name: string;
  page?: number;
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
  /** How many of the newest messages are not in the index yet (an ingest still indexing, or interrupted). */
  notIndexed?: number;
  /**
   * Sentences about the query for the user (always present from this engine on): an unknown tag or
   * flag with the nearest existing ones, a query of stop words alone, …
   */
  warnings?: string[];
  /** A corrected query built from the index's own words, when some word has no or very few hits. */
  didYouMean?: DidYouMean | null;
  /** Index shards that could not be used (missing, damaged, of another case): hits from them are absent. */
  indexProblems?: IndexProblem[];
  /** What matched, for highlighting hits in a message (use the `highlight` API method for ranges). */
  matched?: { words: string[]; phrases: string[] };
}

export interface DidYouMean {
  query: string;
  /** Each replaced word: what was typed, what is suggested, and how many messages have the suggestion. */
  words: { typed: string; suggested: string; messages: number }[];
}

export interface IndexProblem {
  /** The shard's number and the message ids it covers. */
  seq: number;
  firstId: number;
  lastId: number;
  reason: string;
}

/** `date`: newest first; `date-asc`: oldest first. */
export type SearchSort = 'relevance' | 'date' | 'date-asc';

/** What the reading pane shows: re-parsed from the original bytes on demand (never stored). */
export interface MessageBody {
  id: number;
  text: string;
  /** The HTML part as written by the sender: untrusted, sanitized and sandboxed by the viewer. */
  html: string | null;
  /** Inline parts referenced as cid: in the HTML, as data: URLs (images only). */
  inline: Record<string, string>;
  headers: { name: string; value: string }[];
  /** What the viewer was not given in full (truncated text, size or header limits), for a visible note. */
  notes?: string[];
  /** Why the re-parse failed (headers then come from the raw bytes); null when it worked. */
  parseError?: string | null;
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

/**
 * Which messages an action applies to: explicit ids, the thread of a message, every hit of a query
 * (narrowed by facet filters when given: exactly the list the user sees), or a tag.
 */
export type Selection = { ids: number[] } | { threadOf: number } | QuerySelection | { tag: string };
export type QuerySelection = { query: string; filters?: FacetFilters };

export type ExportFormat = 'mbox' | 'eml' | 'csv' | 'json';

export interface ExportRequest {
  selection: { tag: string } | QuerySelection;
  format: ExportFormat;
  /** Directory to create (or, with zip, the .zip file to create). Must not exist unless overwrite. */
  out: string;
  attachments?: boolean;
  zip?: boolean;
  overwrite?: boolean;
  /** CSV only: `;` for spreadsheets in locales whose decimal mark is a comma (French Excel); BOM on by default. */
  csv?: { delimiter?: ',' | ';'; bom?: boolean };
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
  /** Everything in `extra`, with what it is (unlisted file, symbolic link, zip comment, duplicate entry, …). */
  unaccounted?: { path: string; reason: string }[];
  /** The export could not be read at all (e.g. a zip with bytes appended): the verdict is "not ok". */
  error?: string;
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
  bodyHash: 'body-ok' | 'body-altered' | 'unsupported' | 'list-footer';
  /** Full verification against an imported key. */
  result: 'pass' | 'fail' | 'no-key' | 'unsupported';
  reason: string | null;
  /** Where the key came from (imported file), and the SHA-256 of the key record; null without a key. */
  keySource: string | null;
  keySha256: string | null;
  /** l= was used: only the first `bodyLengthLimit` bytes of the body are signed (content can be appended). */
  bodyLengthLimit: number | null;
  headerFields: string[];
  /** Why this verdict proves less than it seems (rsa-sha1, short-key-512, key-testing-mode, …); see README. */
  caveats: DkimCaveat[];
  /** RSA key size in bits; null without a key, or for ed25519. */
  keyBits: number | null;
  /** The signature's t= (signing time) and x= (expiry), ISO; null when absent. */
  signedAt: string | null;
  expiresAt: string | null;
  /** What a mailing list changed after signing (footer appended, subject tag), with the added text. */
  listChanges: ListChange[];
  /** How many keys the store holds for this selector when more than one (rotations); keySha256 is the one used. */
  keysTried?: number;
  /** List mail only: what the list's ARC-Authentication-Results recorded for this signature on arrival. */
  arcContext?: ArcListContext;
}

export interface ArcListContext {
  /** The ARC instance (i=) whose ARC-Authentication-Results records dkim=pass, and who sealed it (its d=). */
  instance: number;
  sealer: string;
  /** true only when the whole ARC chain validates offline with the keys in the case. */
  verified: boolean;
  text: string;
}

export interface DkimCaveat {
  name: string;
  message: string;
}

export interface ListChange {
  kind: 'footer' | 'subject-tag' | 'headers-refolded';
  /** Bytes added by the list (as found in the message). */
  bytes: number;
  /** The added text itself (a footer is capped at 64 KiB here). */
  text: string;
  description: string;
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

/** Document metadata as written in the file; dates ISO-8601 keeping the written offset; absent values omitted. */
export interface DocumentMeta {
  author?: string;
  lastModifiedBy?: string;
  title?: string;
  subject?: string;
  keywords?: string;
  company?: string;
  application?: string;
  appVersion?: string;
  producer?: string;
  creatorTool?: string;
  template?: string;
  created?: string;
  modified?: string;
  lastPrinted?: string;
  revision?: string;
  totalEditMinutes?: number;
  pageCount?: number;
  language?: string;
  codePage?: number;
  /** PDF: incremental updates saved after the original. */
  revisions?: number;
  encrypted?: boolean;
  javascript?: boolean;
  commentAuthors?: string[];
  revisionAuthors?: string[];
  custom?: Record<string, string>;
}

export interface DocumentLocation {
  path: string;
  messageId?: number;
  attachmentIndex?: number;
  /** For documents embedded in another document: the SHA-256 of that container document. */
  parentSha256?: string;
}

/** `casefile docs` and the `document` of an attachment (issue 11, item 7): a public interface. */
export interface DocumentJson {
  id: number;
  name: string;
  /** attachment | loose | embedded */
  kind: string;
  /** pdf, word, excel, powerpoint, image, text, csv, html, email, archive, other */
  type: string;
  size: number;
  sha256: string;
  locations: DocumentLocation[];
  meta: DocumentMeta;
  exif?: Record<string, unknown>;
  flags: { name: string; reason: string }[];
  errors: ParseIssue[];
  /** Optional OCR (issue 11 item 8), once the pass has looked at this document; absent when not tried. */
  ocr?: DocumentOcr;
}

/** OCR of a scanned PDF or an image: `done` (text found), `empty` (no text recognised) or `failed` (error says why). */
export interface DocumentOcr {
  state: 'done' | 'empty' | 'failed';
  /** Characters of recognised text; that text is marked as OCR (`ocrPages` in the detail), never mixed with the document's own. */
  chars: number;
  pages?: number;
  error?: string;
  at: string;
}

/** Progress and result of an OCR pass (`casefile ocr`, `ingest --ocr`, the UI switch). */
export interface OcrProgress {
  candidates: number;
  done: number;
  empty: number;
  failed: number;
  /** Documents already handled by an earlier (interrupted) pass. */
  skipped: number;
  current?: string;
  seconds: number;
}

/** Columns the Documents view sorts by. */
export type DocumentSort = 'modified' | 'name' | 'type' | 'author' | 'lastModifiedBy' | 'application' | 'size';
export const DOCUMENT_SORTS: readonly DocumentSort[] = ['modified', 'name', 'type', 'author', 'lastModifiedBy', 'application', 'size'];

export interface DocumentPage {
  total: number;
  documents: DocumentJson[];
}

/** Where a document's bytes appear: messages (with sender, date, DKIM) and loose paths. */
export interface DocumentAppearance {
  messageId?: number;
  attachmentIndex?: number;
  from?: string;
  date?: string | null;
  subject?: string | null;
  dkim?: string | null;
  path?: string;
}

export interface DocumentDetail extends DocumentJson {
  pages: string[];
  /** Text recognised by OCR, per page (absent when OCR has not produced text). */
  ocrPages?: string[];
  appearsIn: DocumentAppearance[];
}

// ---- Overview and facets (issue 14) ----

/**
 * Facets: mailbox (custodian, from the source path's per-person folder), sender domain, sender, recipient,
 * attachment type, language (fr/en/other), tag, flag (authenticity hints) and DKIM verdict.
 */
export type FacetName = 'mailbox' | 'domain' | 'sender' | 'recipient' | 'attachment' | 'language' | 'tag' | 'flag' | 'dkim';
export const FACET_NAMES: readonly FacetName[] = ['mailbox', 'domain', 'sender', 'recipient', 'attachment', 'language', 'tag', 'flag', 'dkim'];

/**
 * Narrowing chosen by clicking facets and brushing the timeline: values of one facet are alternatives (OR),
 * different facets all apply (AND). `date` is [from, to) in ms since the epoch, UTC.
 */
export type FacetFilters = { [F in FacetName]?: string[] } & { date?: { from: number; to: number } };

export interface FacetValue {
  value: string;
  count: number;
}

export type TimelineUnit = 'day' | 'week' | 'month';

export interface Timeline {
  unit: TimelineUnit;
  /** The values the bars are stacked by (the top ones of `stackBy`, then "other"); one series when unstacked. */
  series: string[];
  /** Bucket start (ms, UTC; weeks start on Monday) and counts per series. Empty buckets included. */
  buckets: { start: number; counts: number[] }[];
  /** Messages without a usable date (not drawn). */
  undated: number;
}

export interface FacetsResult {
  /** Messages matching the query and every filter. */
  total: number;
  /**
   * Top values per facet, counted over the messages that match the query and every *other* filter (so the
   * alternatives of a chosen facet stay visible, as in Datashare / Intella).
   */
  facets: Record<FacetName, FacetValue[]>;
  timeline: Timeline;
  /** Who writes to whom among the results: top senders × top recipients, counts[sender][recipient]. */
  matrix: { senders: string[]; recipients: string[]; counts: number[][] };
  tookMs: number;
}

/** Another message with the same Message-ID; `differences` names what differs from the message shown. */
export interface MessageVersion {
  id: number;
  sha256: string;
  /** Among: from, to, cc, date, subject, body, attachments, headers (any other header byte). */
  differences: string[];
}

/** One column of the compare view: a version of a message, with its DKIM verdicts. */
export interface VersionSide extends MessageVersion, Pick<MessageJson, 'messageId' | 'date' | 'dateHeader' | 'from' | 'to' | 'cc' | 'subject'> {
  /** The extracted text body (as indexed). */
  text: string;
  attachments: { filename: string | null; size: number; sha256: string }[];
  /** null until the authenticity pass ran. */
  dkim: DkimVerdict[] | null;
  source: Location;
}
