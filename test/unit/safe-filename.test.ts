import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NameAllocator, safeFileName } from '../../electron/engine/export/safe-filename';

test('hostile attachment names become one harmless path component', () => {
  const cases: [string | null, string][] = [
    ['../../x.txt', '_.._x.txt'],
    ['..\\..\\windows\\evil.bat', '_.._windows_evil.bat'],
    ['/etc/passwd', '_etc_passwd'],
    ['..', 'fallback'],
    ['', 'fallback'],
    [null, 'fallback'],
    ['CON', '_CON'],
    ['nul.txt', '_nul.txt'],
    ['com1', '_com1'],
    ['nul\u0000name.txt', 'nul_name.txt'],
    ['invoice\u202efdp.exe', 'invoice_fdp.exe'],
    ['report. ', 'report'],
    ['a:b*c?.txt', 'a_b_c_.txt'],
    ['Procès-verbal.pdf', 'Procès-verbal.pdf'],
    ['Proce\u0300s.pdf', 'Procès.pdf'],
    ['日本語の資料.docx', '日本語の資料.docx'],
  ];
  for (const [input, expected] of cases) assert.equal(safeFileName(input, 'fallback'), expected, JSON.stringify(input));
});

test('long names are cut on a character boundary and keep their extension', () => {
  const long = safeFileName('é'.repeat(300) + '.pdf', 'x');
  assert.ok(Buffer.byteLength(long) <= 180);
  assert.ok(long.endsWith('.pdf'));
  assert.ok(!long.includes('\ufffd'));
});

test('names never collide, case-insensitively', () => {
  const a = new NameAllocator();
  assert.deepEqual(['a.txt', 'A.TXT', 'a.txt', 'b'].map((n) => a.allocate(n)), ['a.txt', 'A (2).TXT', 'a (3).txt', 'b']);
});
