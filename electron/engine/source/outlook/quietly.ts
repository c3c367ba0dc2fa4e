/**
 * Run a synchronous library call with console.log/console.error silenced: pst-extractor reports problems on
 * the console (stdout included), which would corrupt `--json` output; its errors still throw to us.
 */
export function quietly<T>(fn: () => T): T {
  const { log, error } = console;
  console.log = () => {};
  console.error = () => {};
  try {
    return fn();
  } finally {
    console.log = log;
    console.error = error;
  }
}
