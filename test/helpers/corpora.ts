import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The shared real-world corpora: $CASEFILE_CORPORA, else ../shared/corpora beside the checkout. */
export const CORPORA = path.resolve(process.env.CASEFILE_CORPORA ?? path.join(REPO, '../shared/corpora'));
export const HAVE_CORPORA = existsSync(path.join(CORPORA, 'README.md'));

/** Test option: skip (with a visible reason) when the corpora are not available, e.g. in a user's clone. */
export const needsCorpora = HAVE_CORPORA ? {} : { skip: `corpora not found at ${CORPORA} (set CASEFILE_CORPORA); real-world corpus test skipped` };

export function corpus(...parts: string[]): string {
  return path.join(CORPORA, ...parts);
}

/** Every file under these corpus folders (below 4 MiB) read as text twice, as UTF-8 and as Latin-1: for tests of text functions. */
export function* corpusTexts(...folders: string[]): Generator<{ file: string; text: string }> {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const p = path.join(dir, e.name);
      return e.isDirectory() ? walk(p) : statSync(p).size < 4 * 1024 * 1024 ? [p] : [];
    });
  for (const file of folders.flatMap((f) => walk(corpus(f)))) {
    const bytes = readFileSync(file);
    yield { file, text: bytes.toString('utf8') };
    yield { file, text: bytes.toString('latin1') };
  }
}
