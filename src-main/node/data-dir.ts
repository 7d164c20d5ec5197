/**
 * The data directory (E.2): created when missing, and held with an exclusive LOCK file that records the
 * owner's pid. A LOCK left by a dead process (SIGKILL, power loss) is taken over; one held by a live
 * process makes the second node fail to start (exit 7).
 */
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { StartupError } from './errors.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class DataDirLock {
  private constructor(private readonly path: string) {}

  static acquire(dataDir: string): DataDirLock {
    try {
      mkdirSync(dataDir, { recursive: true });
    } catch (err) {
      throw new StartupError(`cannot create data directory ${dataDir}: ${(err as Error).message}`);
    }
    const path = join(dataDir, 'LOCK');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(path, 'wx', 0o644);
        writeSync(fd, `${process.pid}\n`);
        closeSync(fd);
        return new DataDirLock(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new StartupError(`cannot lock data directory ${dataDir}: ${(err as Error).message}`);
        }
        let owner = NaN;
        try {
          owner = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
        } catch {
          // unreadable: treat as stale
        }
        if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
          throw new StartupError(`data directory ${dataDir} is locked by another node (pid ${owner})`);
        }
        try {
          unlinkSync(path);
        } catch {
          // a racing node removed it; retry the exclusive create
        }
      }
    }
    throw new StartupError(`data directory ${dataDir} is locked by another node`);
  }

  release(): void {
    try {
      unlinkSync(this.path);
    } catch {
      // already gone
    }
  }
}
