import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import CFB from 'cfb';
import { pptText } from '../../electron/engine/documents/ppt-text';
import { ExtractError } from '../../electron/engine/documents/types';
import { xlsText } from '../../electron/engine/documents/xls-text';
import { corpus, needsCorpora } from '../helpers/corpora';

const streamOf = (file: string, name: string) => {
  const cfb = CFB.read(readFileSync(corpus('tika-documents', file)), { type: 'buffer' });
  return Uint8Array.from(CFB.find(cfb, name)!.content as ArrayLike<number>);
};

test('xls and ppt readers: every truncation of a real stream ends with text or a clear error, never a hang', needsCorpora, () => {
  const started = Date.now();
  const cases: [Uint8Array, (b: Uint8Array) => string][] = [
    [streamOf('testEXCEL.xls', 'Workbook'), xlsText],
    [streamOf('testPPT.ppt', 'PowerPoint Document'), pptText],
  ];
  for (const [full, read] of cases) {
    for (let cut = 0; cut < full.length; cut += 97) {
      try {
        assert.equal(typeof read(full.subarray(0, cut)), 'string');
      } catch (err) {
        assert.ok(err instanceof ExtractError || err instanceof RangeError, String(err));
      }
    }
  }
  assert.ok(Date.now() - started < 10_000);
});

test('xls: a string of the shared string table that breaks across a CONTINUE record switches width there', () => {
  // Records built by hand per [MS-XLS]: BOF (sheet), SST whose one string ("Ab" 8-bit, then "€" 16-bit
  // after the CONTINUE's option byte), LABELSST pointing at it, EOF.
  const rec = (type: number, data: number[]) => [type & 0xff, type >> 8, data.length & 0xff, data.length >> 8, ...data];
  const u32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24];
  const bytes = Uint8Array.from([
    ...rec(0x0809, [0, 6, 0x10, 0, 0, 0, 0, 0]),
    ...rec(0x00fc, [...u32(1), ...u32(1), 3, 0, 0, 0x41, 0x62]),
    ...rec(0x003c, [1, 0xac, 0x20]),
    ...rec(0x00fd, [0, 0, 1, 0, 0, 0, ...u32(0)]),
    ...rec(0x000a, []),
  ]);
  assert.equal(xlsText(bytes), 'Sheet1\n\tAb€');
});
