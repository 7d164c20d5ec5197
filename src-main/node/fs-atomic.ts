/** Atomic file writes: temp file in the same directory, fsync, rename, fsync of the directory. */
import { closeSync, fsyncSync, openSync, renameSync, writeSync, unlinkSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { randomBytes } from 'node:crypto';

export function writeFileAtomic(path: string, data: string, mode = 0o644): void {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', mode);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    unlinkSync(tmp);
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, path);
  try {
    const dfd = openSync(dirname(path), 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // Some platforms cannot open directories for fsync; the rename is still atomic.
  }
}

/** Like writeFileAtomic but fails when `path` already exists (never overwrite). */
export function writeNewFileAtomic(path: string, data: string, mode = 0o644): void {
  const fd = openSync(path, 'wx', mode);
  closeSync(fd);
  writeFileAtomic(path, data, mode);
}
