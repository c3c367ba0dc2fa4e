import type { SpanJob } from '../parse/parse-span';
import type { MessageSpan } from '../source/message-spans';
import type { SourceRow } from '../store/source-registry';

/**
 * What the ingest pipeline commits, in order: a message span (parsed by the workers first), the end of
 * a source (its SHA-256), a source that failed, or a bookkeeping step that must happen after everything
 * before it is stored (recording an archive entry, removing a spool file).
 */
export type PipelineEntry =
  | {
      kind: 'span';
      source: SourceRow;
      span: MessageSpan;
      job: SpanJob;
      meterId?: number;
      /** The span is the whole source (a .eml file): the source is finished with it (whole-file.ts). */
      wholeFile?: boolean;
    }
  | { kind: 'end'; source: SourceRow; sha256: string; notes: string[] }
  | { kind: 'failed'; source: SourceRow; reason: string }
  | { kind: 'run'; run: () => void };
