import { CaseQueries } from '../store/case-queries';
import { CaseStore } from '../store/case-store';
import { usageError } from './cli-error';

/** Open an existing case for a read command, run `fn`, always close. */
export async function withCase<T>(dir: string | undefined, fn: (store: CaseStore, q: CaseQueries) => Promise<T> | T): Promise<T> {
  if (!dir) throw usageError('missing <case> directory');
  const store = CaseStore.open(dir);
  try {
    return await fn(store, new CaseQueries(store.db));
  } finally {
    store.close();
  }
}

export function messageIdArg(value: string | undefined): number {
  const id = Number(value);
  if (!value || !Number.isInteger(id) || id <= 0) throw usageError(`<id> must be a positive message id, got "${value ?? ''}"`);
  return id;
}
