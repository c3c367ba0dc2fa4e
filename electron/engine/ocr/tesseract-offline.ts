import { copyFileSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Worker as TesseractWorker } from 'tesseract.js';

/** French and English, as the model case needs; both traineddata files ship in npm packages. */
export const OCR_LANGS = ['fra', 'eng'] as const;
/** The LSTM-only "best_int" models: what tesseract.js uses by default (OEM LSTM_ONLY), and the smallest. */
const MODEL_DIR = '4.0.0_best_int';

const require = createRequire(import.meta.url);

/**
 * tesseract.js reads `${langPath}/${lang}.traineddata.gz`: one folder for every language, while the two
 * packages keep theirs apart. A folder of links (copies where links are not allowed) to the installed
 * files gives it that, so nothing is ever downloaded (tesseract.js would fetch from a CDN without it).
 */
export function traineddataDir(): string {
  const dir = path.join(os.tmpdir(), `casefile-tessdata-${MODEL_DIR}`);
  mkdirSync(dir, { recursive: true });
  for (const lang of OCR_LANGS) {
    const target = path.join(dir, `${lang}.traineddata.gz`);
    if (existsSync(target)) continue;
    const source = path.join(path.dirname(require.resolve(`@tesseract.js-data/${lang}/package.json`)), MODEL_DIR, `${lang}.traineddata.gz`);
    try {
      symlinkSync(source, target);
    } catch (err) {
      // Never copy onto an existing entry: it may be a link to the package's own file.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') copyFileSync(source, target);
    }
  }
  return dir;
}

/** A tesseract.js worker (its own worker thread) reading only local files: no CDN, no cache written. */
export async function offlineWorker(): Promise<TesseractWorker> {
  const { createWorker, OEM } = await import('tesseract.js');
  return createWorker([...OCR_LANGS], OEM.LSTM_ONLY, { langPath: traineddataDir(), cacheMethod: 'none', gzip: true });
}
