/** A query the user must change: the message names the offending part (`part`). */
export class QueryError extends Error {
  override name = 'QueryError';
  constructor(
    message: string,
    readonly part: string,
  ) {
    super(message);
  }
}
