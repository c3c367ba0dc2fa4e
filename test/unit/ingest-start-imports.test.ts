import assert from 'node:assert/strict';
import { test } from 'node:test';
import { build } from 'esbuild';

// `casefile ingest` loads on its main thread only what every ingest needs before the first message is parsed:
// the parser, the DKIM verifier, the archive and Outlook readers and OCR are loaded where they are used (in
// the workers, or when an archive, a PST or a signed message is met). Loading them all first held back the
// start of every ingest by ≈0.5 s of one core (issue 15).
const LATE = ['mailparser', 'mailauth/lib/dkim/verify', 'mailauth/lib/arc', 'pst-extractor', '@kenjiuno/msgreader', '7z-wasm', 'tar-stream', 'yauzl', 'unbzip2-stream', 'html-to-text', 'tesseract.js', 'pdfjs-dist'];

/** Every module Node evaluates before `entry` runs (static imports only), each with the chain that reaches it. */
async function staticImports(entry: string): Promise<Map<string, string>> {
  const { metafile } = await build({ entryPoints: [entry], bundle: true, packages: 'external', platform: 'node', format: 'esm', metafile: true, write: false, logLevel: 'error' });
  const chains = new Map<string, string>([[entry, entry]]);
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const i of metafile.inputs[file]?.imports ?? []) {
      if (i.kind === 'dynamic-import' || chains.has(i.path)) continue;
      chains.set(i.path, `${chains.get(file)} > ${i.path}`);
      if (!i.external) queue.push(i.path);
    }
  }
  return chains;
}

const late = (chains: Map<string, string>) =>
  [...chains].filter(([p]) => LATE.some((pkg) => p === pkg || p.startsWith(`${pkg}/`))).map(([, chain]) => chain);

test('the ingest command imports no parser, verifier, archive, Outlook or OCR package before it runs', async () => {
  assert.deepEqual(late(await staticImports('electron/engine/cli/commands/ingest.ts')), []);
  // The walk does see them where they belong: the parse worker loads mailparser up front.
  assert.ok(late(await staticImports('electron/engine/parse/parse-worker.ts')).some((c) => c.endsWith('> mailparser')));
});
