import type { KeyImportResult } from '../../../shared/api';
import { KeyFormatError } from '../auth/key-formats';
import { runAuthPassThenRethread } from '../auth/auth-pass-rethread';
import { KeyStore } from '../auth/key-store';
import type { CaseStore } from '../store/case-store';
import { badRequest } from './validate';

/**
 * Key import from the UI: the same KeyStore.import as `casefile keys import` (same formats, same audit
 * entry with the file's SHA-256 and every key), then the signed messages are verified again.
 */
export async function importKeyFile(store: CaseStore, file: string, name?: string): Promise<KeyImportResult> {
  let imported: Omit<KeyImportResult, 'reverified'>;
  try {
    imported = new KeyStore(store.db, store.audit).import(file, name);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (err instanceof KeyFormatError || e.code === 'ENOENT' || e.code === 'EISDIR' || e.code === 'EACCES') throw badRequest(e.message);
    throw err;
  }
  // Only signed messages are redone with the new key set (resumable, audited as 'auth-verified').
  const { checked } = await runAuthPassThenRethread(store);
  return { ...imported, reverified: checked };
}
