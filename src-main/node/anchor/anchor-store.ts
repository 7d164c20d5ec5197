/**
 * The `anchors` table (PROTOCOL.md B.9, B.10), defined once in the node's migrations (db/migrations.ts).
 */
import type Database from 'better-sqlite3';
import { migrate } from '../db/migrations.js';

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

export class AnchorStore {
  constructor(private readonly db: Database.Database) {
    // The table belongs to the node's schema; a bare database (tests, tools) gets that schema here.
    migrate(db);
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
