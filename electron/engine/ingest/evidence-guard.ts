import path from 'node:path';
import { existsSync, realpathSync, statSync } from 'node:fs';
import { CaseError } from '../store/case-store';

/**
 * The case directory must not be inside an evidence folder (a folder given as input, or an evidence file's
 * own path), nor be or sit in the very folder that holds an evidence file: writing there could alter what is
 * being examined, and mixes analysis output with the original material. Folders further below an evidence
 * file's parent are fine (evidence `~/leak.mbox` does not forbid `~/cases/leak`).
 */
export function assertCaseApartFromEvidence(caseDir: string, sourcePaths: string[], inputs: string[] = []): void {
  const caseAbs = resolveExisting(caseDir);
  const refuse = (what: string) => {
    throw new CaseError(`case directory ${caseAbs} is inside or beside the evidence ${what}; choose a case directory elsewhere (or pass --allow-case-near-evidence)`);
  };
  for (const input of inputs) {
    const abs = resolveExisting(input);
    if (isFolder(abs) && isWithin(caseAbs, abs)) refuse(`folder ${abs}`);
  }
  // Resolved once per folder (a Maildir has thousands of files in one): the folder's real path plus
  // the file's name, which is the file's real path for the real paths discovery passes.
  const realFolders = new Map<string, string>();
  for (const src of sourcePaths) {
    const given = path.resolve(src);
    const parent = path.dirname(given);
    let folder = realFolders.get(parent);
    if (folder === undefined) realFolders.set(parent, (folder = resolveExisting(parent)));
    const abs = path.join(folder, path.basename(given));
    if (isWithin(caseAbs, abs) || caseAbs === folder || path.dirname(caseAbs) === folder) refuse(abs);
  }
}

function isFolder(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

export function isWithin(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Resolve symlinks of the longest existing prefix (the case dir may not exist yet). */
export function resolveExisting(p: string): string {
  let abs = path.resolve(p);
  const tail: string[] = [];
  while (!existsSync(abs) && path.dirname(abs) !== abs) {
    tail.unshift(path.basename(abs));
    abs = path.dirname(abs);
  }
  return path.join(realpathSync(abs), ...tail);
}
