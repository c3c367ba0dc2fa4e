/**
 * Bounds on what the reading pane re-parses and returns, so that no message can take the server down
 * (a 560 MiB text part would exceed V8's largest string). Tests lower them through the environment.
 */
export interface DisplayLimits {
  /** Bytes of a message parsed for display (the rest stays available as raw source and export). */
  maxParseBytes: number;
  /** Characters of the text and of the HTML returned to the viewer. */
  maxTextChars: number;
  /** Time allowed to the parse before its worker is stopped. */
  timeoutMs: number;
  /** Header lines shown, parsed or read from the raw bytes. */
  maxHeaderLines: number;
  /** Raw source bytes returned to the viewer. */
  maxRawBytes: number;
}

export function displayLimits(env = process.env): DisplayLimits {
  const n = (name: string, fallback: number) => {
    const v = Number(env[name]);
    return Number.isFinite(v) && v > 0 ? v : fallback;
  };
  return {
    maxParseBytes: n('CASEFILE_DISPLAY_MAX_BYTES', 64 * 1024 * 1024),
    maxTextChars: n('CASEFILE_DISPLAY_MAX_CHARS', 4 * 1024 * 1024),
    timeoutMs: n('CASEFILE_DISPLAY_TIMEOUT_MS', 20_000),
    maxHeaderLines: n('CASEFILE_DISPLAY_MAX_HEADER_LINES', 5_000),
    maxRawBytes: n('CASEFILE_DISPLAY_MAX_RAW_BYTES', 32 * 1024 * 1024),
  };
}
