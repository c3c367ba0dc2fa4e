/**
 * Errors a user meets in normal life (another process holds the case, the disk is full, the case file is
 * damaged, a folder is read-only): one sentence saying what happened and what to do, exit code 2 — never a
 * stack trace. Returns null for anything else (a bug, which keeps its trace).
 */
export function userFacingMessage(err: unknown): string | null {
  const e = err as NodeJS.ErrnoException | undefined;
  const code = String(e?.code ?? '');
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED') {
    return 'the case is busy: another Casefile process (an ingest, a tagging command or "serve") is writing to it; wait for it to finish and run the command again';
  }
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') {
    return 'the disk holding the case is full: free some space and run the command again (an interrupted ingest resumes where it stopped; the evidence is untouched)';
  }
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT_')) {
    return `the case database is damaged (${e?.message}): restore case.sqlite from a copy, or ingest the evidence again into a new case; the evidence itself is untouched`;
  }
  if (code === 'SQLITE_READONLY' || code.startsWith('SQLITE_READONLY_') || code === 'EROFS') {
    return 'the case cannot be written (read-only file or file system): copy the case somewhere writable, or fix its permissions';
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'EACCES' || code === 'EPERM' || code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') {
    return e?.message ?? code;
  }
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') {
    return `reading or writing the case failed at the disk level (${code}): check the disk and run the command again`;
  }
  if (code === 'EMFILE' || code === 'ENFILE') return 'too many open files: raise the limit (ulimit -n) and run the command again';
  return null;
}
