import { existsSync } from 'node:fs';
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
