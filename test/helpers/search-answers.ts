import { Searcher } from '../../electron/engine/search/searcher';
import { CaseStore } from '../../electron/engine/store/case-store';

/** Every answer of each query on a freshly opened case (JSON), but its timing: for comparing two paths. */
export function answers(caseDir: string, queries: string[], limit = 1000): string[] {
  const store = CaseStore.open(caseDir);
  try {
    const s = new Searcher(store.db, store.dir);
    return queries.map((q) => JSON.stringify({ ...s.search(q, { limit }), tookMs: 0 }));
  } finally {
    store.close();
  }
}
