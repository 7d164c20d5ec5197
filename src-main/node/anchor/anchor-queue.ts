/**
 * Sends committed epoch hashes to Ergo (PROTOCOL.md B.9): in epoch order, one request in flight,
 * retries after 30 s × 2^(attempts−1) capped at 1 h, a look-up before any re-send that may duplicate,
 * and after 24 h of failures an anchor becomes `failed_retrying` (retried hourly in the background) so
 * later epochs move on. Everything runs off the caller's path: `enqueue` is one SQLite insert and the
 * network work happens on timers, so anchoring never delays finality, settlement or the API.
 */
import type Database from 'better-sqlite3';
import { systemClock, type Clock } from '../clock.js';
import { AnchorStore, type AnchorRow, type AnchorStatus } from './anchor-store.js';
import { ErgoRequestError, type AnchorSubmitter } from './ergo-client.js';

export const RETRY_BASE_SECONDS = 30;
export const RETRY_CAP_SECONDS = 3600;
export const HEAD_OF_LINE_LIMIT_SECONDS = 24 * 3600;
export const BACKGROUND_RETRY_SECONDS = 3600;

/** Delay before the next attempt after `attempts` attempts have been made. */
export function retryDelaySeconds(attempts: number): number {
  const exp = Math.max(0, attempts - 1);
  return exp >= 12 ? RETRY_CAP_SECONDS : Math.min(RETRY_BASE_SECONDS * 2 ** exp, RETRY_CAP_SECONDS);
}

export interface AnchorListEntry {
  epoch: number;
  epoch_hash: string;
  tx_id: string | null;
  status: AnchorStatus;
  attempts: number;
  last_error: string | null;
  updated_at: number;
}

export interface AnchorQueueOptions {
  clock?: Clock;
  /** Called with each attempt's outcome; for logs. Never receives secrets. */
  onEvent?: (e: AnchorEvent) => void;
}

export type AnchorEvent =
  | { type: 'submitted'; epoch: number; txId: string; foundByLookup: boolean }
  | { type: 'failed'; epoch: number; attempts: number; error: string; status: AnchorStatus; retryAt: number };

const EPOCH_HASH = /^[0-9a-f]{64}$/;

export class AnchorQueue {
  private readonly store: AnchorStore;
  private readonly clock: Clock;
  private running = false;
  private rerun = false;
  private draining: Promise<void> | null = null;
  private cancelWake: (() => void) | null = null;

  constructor(
    db: Database.Database,
    private readonly ergo: AnchorSubmitter,
    private readonly opts: AnchorQueueOptions = {},
  ) {
    this.store = new AnchorStore(db);
    this.clock = opts.clock ?? systemClock;
  }

  /** Records the anchor of a committed epoch (idempotent) and wakes the sender. */
  enqueue(epoch: number, epochHash: string): void {
    if (!Number.isSafeInteger(epoch) || epoch < 0) throw new RangeError(`invalid epoch ${epoch}`);
    if (!EPOCH_HASH.test(epochHash)) throw new RangeError('epoch hash must be 64 lower-case hex digits');
    if (!this.store.insert(epoch, epochHash, this.clock.now())) {
      const existing = this.store.get(epoch);
      if (existing && existing.epoch_hash !== epochHash) {
        // A committed epoch hash never changes; a different one means the caller is wrong, not Ergo.
        throw new Error(`epoch ${epoch} is already queued with hash ${existing.epoch_hash}`);
      }
      return;
    }
    this.kick();
  }

  /** Rows for `GET /anchor/list`, newest first. */
  list(opts: { limit?: number; offset?: number } = {}): { anchors: AnchorListEntry[]; total: number } {
    const limit = Math.min(Math.max(Math.trunc(opts.limit ?? 50), 1), 100);
    const offset = Math.max(Math.trunc(opts.offset ?? 0), 0);
    const anchors = this.store.list(limit, offset).map((r) => ({
      epoch: r.epoch,
      epoch_hash: r.epoch_hash,
      tx_id: r.tx_id,
      status: r.status,
      attempts: r.attempts,
      last_error: r.last_error,
      updated_at: r.updated_at,
    }));
    return { anchors, total: this.store.count() };
  }

  /** One anchor's row (for the explorer's `anchor` field), or null. */
  status(epoch: number): { status: AnchorStatus; tx_id: string | null } | null {
    const r = this.store.get(epoch);
    return r ? { status: r.status, tx_id: r.tx_id } : null;
  }

  /** `rustchain_anchor_backlog`: queued epochs without an Ergo transaction. */
  backlog(): number {
    return this.store.backlog();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.kick();
  }

  /** Stops scheduling; resolves once the request in flight (if any) has settled and been recorded. */
  async stop(): Promise<void> {
    this.running = false;
    this.cancelWake?.();
    this.cancelWake = null;
    await this.whenIdle();
  }

  /** Resolves when no attempt is in progress (the next one waits on a timer). */
  async whenIdle(): Promise<void> {
    for (let guard = 0; guard < 1000 && this.draining; guard++) await this.draining;
  }

  private kick(): void {
    if (!this.running) return;
    if (this.draining) {
      this.rerun = true;
      return;
    }
    this.draining = this.drain()
      .catch(() => {
        // drain records every Ergo failure itself; anything else (a closed database during shutdown)
        // must not become an unhandled rejection in the node process.
      })
      .finally(() => {
        this.draining = null;
        if (this.rerun) {
          this.rerun = false;
          this.kick();
        }
      });
  }

  /** The anchor to work on now, or the time to wake up for the next one. */
  private pick(now: number): { row: AnchorRow } | { wakeAt: number } | null {
    const head = this.store.headOfLine();
    if (head && head.next_attempt_at <= now) return { row: head };
    const background = this.store.nextBackgroundRetry();
    if (background && background.next_attempt_at <= now) return { row: background };
    const times = [head?.next_attempt_at, background?.next_attempt_at].filter((t): t is number => t !== undefined);
    return times.length ? { wakeAt: Math.min(...times) } : null;
  }

  private async drain(): Promise<void> {
    this.cancelWake?.();
    this.cancelWake = null;
    // Each attempt either records a submission or moves next_attempt_at past now, so this terminates.
    for (let guard = 0; guard < 10_000 && this.running; guard++) {
      const next = this.pick(this.clock.now());
      if (next === null) return;
      if ('wakeAt' in next) {
        this.cancelWake = this.clock.at(next.wakeAt, () => this.kick());
        return;
      }
      await this.attempt(next.row);
    }
  }

  private async attempt(row: AnchorRow): Promise<void> {
    const attempts = row.attempts + 1;
    let earlierSendUncertain = false;
    if (row.needs_lookup) {
      let found: string | null = null;
      try {
        found = await this.ergo.findAnchor(row.epoch_hash);
      } catch {
        // B.9: if the look-up fails, send again; a duplicate anchor box is harmless.
        earlierSendUncertain = true;
      }
      if (found) {
        this.store.markSubmitted(row.epoch, found, attempts, this.clock.now());
        this.opts.onEvent?.({ type: 'submitted', epoch: row.epoch, txId: found, foundByLookup: true });
        return;
      }
    }
    // Persisted before sending, so a crash mid-request also leads to a look-up after restart.
    this.store.markLookupNeeded(row.epoch, this.clock.now());
    try {
      const txId = await this.ergo.submit(row.epoch, row.epoch_hash);
      this.store.markSubmitted(row.epoch, txId, attempts, this.clock.now());
      this.opts.onEvent?.({ type: 'submitted', epoch: row.epoch, txId, foundByLookup: false });
    } catch (err) {
      this.recordFailure(row, attempts, err, earlierSendUncertain);
    }
  }

  private recordFailure(row: AnchorRow, attempts: number, err: unknown, earlierSendUncertain: boolean): void {
    const now = this.clock.now();
    const firstFailedAt = row.first_failed_at ?? now;
    const error = err instanceof Error ? err.message : String(err);
    const giveWay = row.status === 'failed_retrying' || now - firstFailedAt >= HEAD_OF_LINE_LIMIT_SECONDS;
    const status: AnchorStatus = giveWay ? 'failed_retrying' : 'pending';
    const retryAt = now + (giveWay ? BACKGROUND_RETRY_SECONDS : retryDelaySeconds(attempts));
    // Only an answer that proves nothing was created (and no unresolved earlier send) skips the look-up.
    const needsLookup = earlierSendUncertain || !(err instanceof ErgoRequestError) || err.mayHaveReached;
    this.store.markFailed(
      row.epoch,
      { status, attempts, error, nextAttemptAt: retryAt, firstFailedAt, needsLookup },
      now,
    );
    this.opts.onEvent?.({ type: 'failed', epoch: row.epoch, attempts, error, status, retryAt });
  }
}
