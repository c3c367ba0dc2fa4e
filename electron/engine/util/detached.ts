/**
 * A copy of `s` that does not hold on to the text it was cut from. V8 keeps a slice of 13+ characters as a
 * pointer into its parent string, so remembering a slice (a token of a message body, a host name out of a
 * header) in a memo would keep the whole parent alive for as long as the memo lives.
 */
export function detached(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}
