import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ingest } from '../../electron/engine/ingest/ingest';
import { Searcher } from '../../electron/engine/search/searcher';
import { CaseStore } from '../../electron/engine/store/case-store';
import { mboxMessage, type Attachment } from '../fixtures/document-generator';
import { tempDir } from '../helpers/temp';

// A case built in two runs (a second source added later) must equal the case built in one: threads that
// span both sources, the documents (an attachment already stored is not extracted again, issue 15), and
// search over attachment text.
describe('ingest in two runs gives the same case as one run', () => {
  const dir = tempDir('casefile-two-runs-');
  const cases = tempDir('casefile-two-runs-cases-');
  const txt = (name: string, text: string): Attachment => ({ name, type: 'text/plain', bytes: new TextEncoder().encode(text) });
  const shared = txt('releve.txt', 'Relevé du compte numéro cinquantetrois, virement suspect.');
  const a = path.join(dir, 'a.mbox');
  const b = path.join(dir, 'b.mbox');
  writeFileSync(a, mboxMessage(1, 'Mon, 3 Apr 2017 10:00:00 +0200', 'a@example.fr', 'Budget', 'Premier.', [shared]) + '\n' + mboxMessage(2, 'Mon, 3 Apr 2017 11:00:00 +0200', 'b@example.fr', 'Agenda', 'Deux.', []));
  writeFileSync(b, mboxMessage(3, 'Tue, 4 Apr 2017 09:00:00 +0200', 'c@example.fr', 'Re: Budget', 'Réponse.', [shared, txt('note.txt', 'Une note sur le virement.')]) + '\n' + mboxMessage(4, 'Tue, 4 Apr 2017 10:00:00 +0200', 'b@example.fr', 'Re: Agenda', 'Quatre.', []));

  const snapshot = (caseDir: string) => {
    const store = CaseStore.open(caseDir);
    try {
      const q = <T>(sql: string) => store.db.prepare(sql).all() as T[];
      const searcher = new Searcher(store.db, caseDir);
      const hits = (query: string) => searcher.search(query).hits.map((h) => h.subject).sort();
      return {
        threads: q(`SELECT t.subject, t.message_count, group_concat(m.sha256 || ':' || n.node || ':' || ifnull(n.parent_node, '-'), ' ') nodes
                    FROM threads t JOIN thread_nodes n ON n.thread_id = t.id LEFT JOIN messages m ON m.id = n.message_row GROUP BY t.id ORDER BY t.subject`),
        documents: q('SELECT sha256, name, type, size, errors_json, pages FROM documents ORDER BY sha256'),
        flags: q('SELECT * FROM document_flags ORDER BY 1, 2'),
        search: { cinquantetrois: hits('cinquantetrois'), virement: hits('virement') },
      };
    } finally {
      store.close();
    }
  };

  test('threads, documents, document flags and attachment search', async () => {
    const once = path.join(cases, 'once');
    const twice = path.join(cases, 'twice');
    await ingest({ caseDir: once, inputs: [a, b], workers: 1 });
    await ingest({ caseDir: twice, inputs: [a], workers: 1 });
    await ingest({ caseDir: twice, inputs: [a, b], workers: 1 });
    const one = snapshot(once);
    assert.deepEqual(one.search.cinquantetrois, ['Budget', 'Re: Budget'], 'the shared attachment is searchable in both messages');
    assert.deepEqual(one.threads.map((t: any) => [t.subject, t.message_count]), [['Agenda', 2], ['Budget', 2]]);
    assert.equal(one.documents.length, 2);
    assert.deepEqual(snapshot(twice), one);
  });
});
