import path from 'node:path';
import { existsSync, realpathSync } from 'node:fs';
import { CaseError } from '../store/case-store';

/**
 * The case directory must not be inside, or in the same folder as, any evidence (writing there could
 * alter what is being examined, and mixes analysis output with the original material).
 */
export function assertCaseApartFromEvidence(caseDir: string, sourcePaths: string[]): void {
  const caseAbs = resolveExisting(caseDir);
  for (const src of sourcePaths) {
    const folder = path.dirname(src);
    if (isWithin(caseAbs, folder)) {
      throw new CaseError(
        `case directory ${caseAbs} is inside or beside the evidence ${src}; choose a case directory elsewhere (or pass --allow-case-near-evidence)`,
      );
    }
  }
}

function isWithin(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Resolve symlinks of the longest existing prefix (the case dir may not exist yet). */
function resolveExisting(p: string): string {
  let abs = path.resolve(p);
  const tail: string[] = [];
  while (!existsSync(abs) && path.dirname(abs) !== abs) {
    tail.unshift(path.basename(abs));
    abs = path.dirname(abs);
  }
  return path.join(realpathSync(abs), ...tail);
}
