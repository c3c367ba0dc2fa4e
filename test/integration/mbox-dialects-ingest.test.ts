import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { messageBody } from '../../electron/engine/api/message-body';
import { ingest } from '../../electron/engine/ingest/ingest';
import { CaseQueries } from '../../electron/engine/store/case-queries';
import { CaseStore } from '../../electron/engine/store/case-store';
import { readOriginalBytes } from '../../electron/engine/store/original-bytes';
import { generateMboxDialect, type MboxDialect } from '../fixtures/mbox-dialects';
import { tempDir } from '../helpers/temp';

describe('ingest of mbox dialects (Content-Length, Mozilla, CR-only, mixed line ends)', () => {
  test('every message is listed with its headers parsed and its exact bytes', async () => {
    const evidence = tempDir('casefile-dialects-ev-');
    const caseDir = path.join(tempDir('casefile-dialects-'), 'case');
    const dialects: MboxDialect[] = ['mboxcl2', 'mozilla', 'cr-only', 'mixed-eol'];
    const generated = dialects.map((d) => ({ d, file: path.join(evidence, `${d}.mbox`), gen: generateMboxDialect(d, 12) }));
    for (const g of generated) writeFileSync(g.file, g.gen.bytes);
    await ingest({ caseDir, inputs: generated.map((g) => g.file), index: false });

    const store = CaseStore.open(caseDir);
    try {
      const q = new CaseQueries(store.db);
      for (const { d, file, gen } of generated) {
        const rows = store.db
          .prepare('SELECT l.message_id AS id FROM locations l JOIN sources s ON s.id = l.source_id WHERE s.path = ? ORDER BY l.offset')
          .all(file) as { id: number }[];
        assert.equal(rows.length, gen.messages.length, `${d}: message count`);
        for (const [i, { id }] of rows.entries()) {
          const m = q.message(id)!;
          assert.equal(m.subject, `${d} message ${i}`, `${d} #${i}: subject`);
          assert.equal(m.messageId, `${d}-${i}@example.org`, `${d} #${i}: Message-ID`);
          assert.equal(m.from[0]?.address, `s${i}@example.org`, `${d} #${i}: From`);
          assert.equal(new Date(m.date!).toISOString(), new Date(`2017-03-${String(1 + (i % 28)).padStart(2, '0')}T09:${String(i % 60).padStart(2, '0')}:00Z`).toISOString());
          assert.ok((await readOriginalBytes(m.source)).equals(gen.messages[i]!), `${d} #${i}: original bytes`);
        }
      }
      // The reading pane re-parses CR-only bytes the same way: the body is text, not header lines.
      const crFile = generated.find((g) => g.d === 'cr-only')!.file;
      const first = store.db.prepare('SELECT l.message_id AS id FROM locations l JOIN sources s ON s.id = l.source_id WHERE s.path = ? ORDER BY l.offset LIMIT 1').get(crFile) as { id: number };
      const body = (await messageBody(q, first.id))!;
      assert.match(body.text, /^line 0 of message 0/m);
      assert.doesNotMatch(body.text, /Subject:/);
    } finally {
      store.close();
    }
  });
});
