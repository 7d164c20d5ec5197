/**
 * The `anchors` table (PROTOCOL.md B.9, B.10). The node's migrations may already have created it with
 * the columns the API reads; the scheduling columns are added here when missing, so the queue works on
 * either schema without a second source of truth.
 */
import type Database from 'better-sqlite3';

export type AnchorStatus = 'pending' | 'submitted' | 'failed_retrying';

export interface AnchorRow {
  epoch: number;
  epoch_hash: string;
  status: AnchorStatus;
  tx_id: string | null;
  attempts: number;
  last_error: string | null;
  /** Unix seconds. */
  updated_at: number;
  /** Unix seconds; when the next attempt may start (pending and failed_retrying only). */
  next_attempt_at: number;
  /** Unix seconds of the first failure in the current run of failures; null after a success. */
  first_failed_at: number | null;
  /** 1 while a send may have reached Ergo without our knowing the outcome: look before re-sending. */
  needs_lookup: number;
}

const EXTRA_COLUMNS: Record<string, string> = {
  next_attempt_at: 'INTEGER NOT NULL DEFAULT 0',
  first_failed_at: 'INTEGER',
  needs_lookup: 'INTEGER NOT NULL DEFAULT 0',
};

export class AnchorStore {
  constructor(private readonly db: Database.Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS anchors (
      epoch INTEGER PRIMARY KEY,
      epoch_hash TEXT NOT NULL,
      status TEXT NOT NULL,
      tx_id TEXT,
      attempts INTEGER NOT NULL DEFAULT 0,
      last_error TEXT,
      updated_at INTEGER NOT NULL
    )`);
    const have = new Set((db.pragma('table_info(anchors)') as { name: string }[]).map((c) => c.name));
    for (const [name, type] of Object.entries(EXTRA_COLUMNS)) {
      if (!have.has(name)) db.exec(`ALTER TABLE anchors ADD COLUMN ${name} ${type}`);
    }
    db.exec('CREATE INDEX IF NOT EXISTS anchors_by_status ON anchors (status, epoch)');
  }

  get(epoch: number): AnchorRow | undefined {
    return this.db.prepare('SELECT * FROM anchors WHERE epoch = ?').get(epoch) as AnchorRow | undefined;
  }

  /** Inserts a pending anchor; false when the epoch is already in the table. */
  insert(epoch: number, epochHash: string, now: number): boolean {
    const r = this.db
      .prepare(
        `INSERT OR IGNORE INTO anchors (epoch, epoch_hash, status, attempts, updated_at, next_attempt_at, needs_lookup)
         VALUES (?, ?, 'pending', 0, ?, 0, 0)`,
      )
      .run(epoch, epochHash, Math.floor(now));
    return r.changes === 1;
  }

  /** The oldest pending anchor: it holds back every later pending one (sent in epoch order). */
  headOfLine(): AnchorRow | undefined {
    return this.db.prepare(`SELECT * FROM anchors WHERE status = 'pending' ORDER BY epoch LIMIT 1`).get() as
      AnchorRow | undefined;
  }

  /** The failed_retrying anchor due soonest. */
  nextBackgroundRetry(): AnchorRow | undefined {
    return this.db
      .prepare(`SELECT * FROM anchors WHERE status = 'failed_retrying' ORDER BY next_attempt_at, epoch LIMIT 1`)
      .get() as AnchorRow | undefined;
  }

  markLookupNeeded(epoch: number, now: number): void {
    this.db.prepare('UPDATE anchors SET needs_lookup = 1, updated_at = ? WHERE epoch = ?').run(Math.floor(now), epoch);
  }

  markSubmitted(epoch: number, txId: string, attempts: number, now: number): void {
    this.db
      .prepare(
        `UPDATE anchors SET status = 'submitted', tx_id = ?, attempts = ?, last_error = NULL, updated_at = ?,
           next_attempt_at = 0, first_failed_at = NULL, needs_lookup = 0 WHERE epoch = ?`,
      )
      .run(txId, attempts, Math.floor(now), epoch);
  }

  /** Never overwrites a submission (another process may have found the anchor meanwhile). */
  markFailed(
    epoch: number,
    f: {
      status: AnchorStatus;
      attempts: number;
      error: string;
      nextAttemptAt: number;
      firstFailedAt: number;
      needsLookup: boolean;
    },
    now: number,
  ): void {
    this.db
      .prepare(
        `UPDATE anchors SET status = ?, attempts = ?, last_error = ?, updated_at = ?, next_attempt_at = ?,
           first_failed_at = ?, needs_lookup = ?
         WHERE epoch = ? AND status != 'submitted'`,
      )
      .run(
        f.status,
        f.attempts,
        f.error.slice(0, 1000),
        Math.floor(now),
        Math.ceil(f.nextAttemptAt),
        Math.floor(f.firstFailedAt),
        f.needsLookup ? 1 : 0,
        epoch,
      );
  }

  list(limit: number, offset: number): AnchorRow[] {
    return this.db
      .prepare('SELECT * FROM anchors ORDER BY epoch DESC LIMIT ? OFFSET ?')
      .all(limit, offset) as AnchorRow[];
  }

  count(): number {
    return this.db.prepare('SELECT COUNT(*) FROM anchors').pluck().get() as number;
  }

  /** Anchors without a recorded Ergo transaction. */
  backlog(): number {
    return this.db.prepare(`SELECT COUNT(*) FROM anchors WHERE status != 'submitted'`).pluck().get() as number;
  }
}
