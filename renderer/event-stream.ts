/**
 * A Server-Sent Events reader over fetch: unlike EventSource it can send the token header, so the harness's
 * event stream needs no cookie and no token in a URL. Reconnects after a pause when the stream ends.
 */
export function openEventStream(url: string, headers: Record<string, string>, onEvent: (name: string, data: string) => void): { close(): void } {
  const abort = new AbortController();
  let closed = false;
  const run = async () => {
    while (!closed) {
      try {
        const res = await fetch(url, { headers, signal: abort.signal });
        if (!res.ok || !res.body) throw new Error(`event stream: HTTP ${res.status}`);
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) !== -1) {
            dispatchRecord(buffer.slice(0, end), onEvent);
            buffer = buffer.slice(end + 2);
          }
        }
      } catch {
        // Aborted, or the server went away: retry below unless closed.
      }
      if (!closed) await new Promise((r) => setTimeout(r, 2000));
    }
  };
  void run();
  return {
    close() {
      closed = true;
      abort.abort();
    },
  };
}

function dispatchRecord(record: string, onEvent: (name: string, data: string) => void): void {
  let name = 'message';
  const data: string[] = [];
  for (const line of record.split('\n')) {
    if (line.startsWith('event:')) name = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  if (data.length) onEvent(name, data.join('\n'));
}
