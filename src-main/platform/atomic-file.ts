/**
 * Atomic file writes for every service (keystores, nonce store, key files, genesis): temp file in the same directory, fsync, then rename (or link, when the
 * target must not exist yet), then fsync of the directory. Keystores are never overwritten: a new file
 * appears complete or not at all.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Thrown when a write would replace an existing file. */
export class FileExistsError extends Error {
  readonly code = 'file_exists';
  constructor(readonly path: string) {
    super(`${path} already exists; it is never overwritten`);
    this.name = 'FileExistsError';
  }
}

function writeTemp(path: string, data: string | Uint8Array, mode: number): string {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', mode);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    unlinkSync(tmp);
    throw err;
  }
  closeSync(fd);
  return tmp;
}

function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some platforms cannot fsync a directory; the rename itself is still atomic.
  }
}

/** Atomically replaces (or creates) `path`. For data files such as the nonce store, never keystores. */
export function replaceFileAtomic(path: string, data: string | Uint8Array, mode = 0o600): void {
  const tmp = writeTemp(path, data, mode);
  try {
    renameSync(tmp, path);
  } catch (err) {
    unlinkSync(tmp);
    throw err;
  }
  fsyncDir(dirname(path));
}

/** Atomically creates `path`; throws FileExistsError if it exists (also when another writer wins the race). */
export function createFileAtomic(path: string, data: string | Uint8Array, mode = 0o600): void {
  if (existsSync(path)) throw new FileExistsError(path);
  const tmp = writeTemp(path, data, mode);
  try {
    // link() fails with EEXIST instead of replacing, which rename() would silently do.
    linkSync(tmp, path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      unlinkSync(tmp);
      throw new FileExistsError(path);
    }
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EXDEV') {
      unlinkSync(tmp);
      throw err;
    }
    // File systems without hard links: check, then rename (a narrow race we accept there).
    if (existsSync(path)) {
      unlinkSync(tmp);
      throw new FileExistsError(path);
    }
    renameSync(tmp, path);
    fsyncDir(dirname(path));
    return;
  }
  unlinkSync(tmp);
  fsyncDir(dirname(path));
}
