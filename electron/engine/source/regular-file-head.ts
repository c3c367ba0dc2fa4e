import { closeSync, constants, fstatSync, readSync } from 'node:fs';
import { openReadOnlySync } from './evidence-fd-cache';

/** Enough of a file's start to tell its kind (discover.ts). */
export const HEAD_BYTES = 4096;

const shared = Buffer.alloc(HEAD_BYTES);

/**
 * Size, mtime and first bytes of a file its folder listed as a regular file, in four system calls made
 * directly (open, fstat, read, close) instead of lstat, realpath and an asynchronous open/read/close per
 * file: on a Maildir of 20,000 files the promise round trips cost seconds of main-thread time before the
 * first message could be parsed (issue 15). The head is a view of a shared buffer, valid until the next
 * call. Returns null whenever anything is unexpected (the entry vanished, is no longer a regular file,
 * cannot be opened): the caller then examines the entry the general way, which reports the exact reason.
 * O_NONBLOCK: should the entry have been replaced by a FIFO since the listing, opening it does not wait.
 */
export function readRegularFileHead(p: string): { size: number; mtimeMs: number; head: Buffer } | null {
  let fd: number;
  try {
    fd = openReadOnlySync(p, constants.O_NONBLOCK);
  } catch {
    return null; // the general path reports why
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return null;
    const n = st.size === 0 ? 0 : readSync(fd, shared, 0, HEAD_BYTES, 0);
    return { size: st.size, mtimeMs: st.mtimeMs, head: shared.subarray(0, n) };
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}
