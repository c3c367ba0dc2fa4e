import type { CaseStore } from '../store/case-store';
import { rethreadCase } from '../thread/rethread';
import { runAuthPass } from './auth-pass';

/**
 * The authenticity pass, then the threads again when it dated undated mail (first Received hop, else the
 * From_ line): threading orders and dates threads by their messages' dates, and ran before those dates
 * existed. Without it a case built in one run and one built in two would thread such mail differently.
 */
export async function runAuthPassThenRethread(store: CaseStore, onProgress?: (done: number, total: number) => void) {
  const result = await runAuthPass(store.db, store.audit, onProgress);
  if (result.dated > 0) rethreadCase(store);
  return result;
}
