import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { extractPdf } from '../../electron/engine/documents/pdf';
import { lacksPdfStructure } from '../../electron/engine/documents/pdf-precheck';
import { Deadline } from '../../electron/engine/documents/types';
import { corpus, needsCorpora } from '../helpers/corpora';

/** What extractPdf gives, comparable: the document (embedded files by name and SHA-256) or the error it throws. */
async function outcome(bytes: Buffer, precheck: boolean): Promise<unknown> {
  try {
    const { children, ...doc } = await extractPdf(Buffer.from(bytes), new Deadline(), precheck);
    return { doc, children: children?.map((c) => [c.name, createHash('sha256').update(c.bytes).digest('hex')]) };
  } catch (err) {
    return { error: [(err as { code?: string }).code, (err as Error).message] };
  }
}

/** Versions of one real PDF: whole, truncated at several points, and with its two structural keywords broken. */
function variants(pdf: Buffer): [string, Buffer][] {
  const firstObj = pdf.indexOf('obj');
  const cuts = [firstObj + 2, firstObj + 3, pdf.length >> 2, pdf.length >> 1, (pdf.length * 3) >> 2, pdf.length - 1];
  const broken = Buffer.from(pdf.toString('latin1').replaceAll('obj', 'ob_').replaceAll('trailer', 'traile_'), 'latin1');
  return [['whole', pdf], ...cuts.map((n): [string, Buffer] => [`first ${n} bytes`, pdf.subarray(0, n)]), ['obj/trailer broken', broken]];
}

/** Deterministic random bytes behind a PDF header: the generated archive's "PDFs" (test/fixtures/archive-generator.ts). */
function fakePdf(seed: number, size: number): Buffer {
  const out = Buffer.alloc(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return Buffer.concat([Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1'), out]);
}

describe('PDF structural pre-check (issue 15)', () => {
  // Where the pre-check lets bytes through, extractPdf runs exactly as without it; where it stops them, pdf.js
  // must fail on them with the same error.
  test('every real PDF of the corpora, whole and truncated: what the pre-check stops, pdf.js cannot read either', needsCorpora, async () => {
    const files = readdirSync(corpus('tika-documents')).filter((f) => readFileSync(corpus('tika-documents', f)).subarray(0, 1024).includes('%PDF-'));
    assert.ok(files.length >= 9, `real PDFs found: ${files.length}`);
    let shortCut = 0;
    for (const file of files) {
      for (const [what, bytes] of variants(readFileSync(corpus('tika-documents', file)))) {
        if (!lacksPdfStructure(bytes)) continue;
        shortCut++;
        assert.deepEqual(await outcome(bytes, true), await outcome(bytes, false), `${file}, ${what}`);
      }
      assert.ok(!lacksPdfStructure(readFileSync(corpus('tika-documents', file))), `${file} whole goes to pdf.js`);
    }
    assert.ok(shortCut >= files.length * 2, `pre-check used on ${shortCut} variants (truncated before the first object, keywords broken)`);
  });

  test('random bytes behind a PDF header: pdf.js and the pre-check give the same error', async () => {
    let shortCut = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const bytes = fakePdf(seed * 7919, 2048 << (seed % 6));
      if (lacksPdfStructure(bytes)) shortCut++;
      assert.deepEqual(await outcome(bytes, true), await outcome(bytes, false), `seed ${seed}`);
    }
    assert.ok(shortCut >= 10, `pre-check used on ${shortCut} of 12`);
    // The words anywhere send the bytes to pdf.js, which decides.
    assert.equal(lacksPdfStructure(Buffer.from('%PDF-1.4 trailer')), false);
    assert.equal(lacksPdfStructure(Buffer.from('%PDF-1.4 1 0 obj')), false);
    assert.equal(lacksPdfStructure(Buffer.alloc(0)), false);
  });
});
