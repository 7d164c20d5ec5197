/**
 * Opens the node database: WAL journal, one writer (this process, guarded by the data-dir LOCK), the
 * migrations, and an integrity check whose failure is a clear start-up error rather than a stack trace.
 */
import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { migrate } from './migrations.js';

export class DatabaseOpenError extends Error {}

/** Above this size only the cheap checks run at start (a full scan would break the 1 s start target). */
export const FULL_CHECK_MAX_BYTES = 256 * 1024 * 1024;

export interface OpenOptions {
  /** Run `PRAGMA quick_check` whatever the size. */
  fullCheck?: boolean;
}

export function openDatabase(path: string, opts: OpenOptions = {}): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(path);
  } catch (err) {
    throw new DatabaseOpenError(`cannot open database ${path}: ${(err as Error).message}`);
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('cache_size = -65536');
    let size = 0;
    try {
      size = statSync(path).size;
    } catch {
      size = 0;
    }
    if (opts.fullCheck || size <= FULL_CHECK_MAX_BYTES) {
      const rows = db.pragma('quick_check') as { quick_check: string }[];
      const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
      if (problems.length > 0) {
        throw new DatabaseOpenError(`database ${path} failed its integrity check: ${problems.slice(0, 3).join('; ')}`);
      }
    } else {
      db.pragma('schema_version');
    }
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    if (err instanceof DatabaseOpenError) throw err;
    throw new DatabaseOpenError(`database ${path} is not usable: ${(err as Error).message}`);
  }
}
