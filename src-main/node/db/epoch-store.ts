/**
 * Committed epochs (header, body, results, votes, certificate), their ledger rows (B.6.6) and reward
 * rows. Rows are only ever inserted inside the commit transaction.
 */
import type Database from 'better-sqlite3';
import { BatchInsert, sqlInt } from './batch-insert.js';

export interface EpochRow {
  epoch: number;
  epoch_hash: string;
  header: string;
  body: string;
  results: string;
  certificate: string;
  votes: string;
  committed_at: number;
  attestation_count: number;
  transfer_count: number;
  minted_i64: number;
  total_supply_i64: number;
}

export interface LedgerInsert {
  ts: number;
  epoch: number;
  account: string;
  deltaI64: bigint;
  reason: string;
  txHash: string | null;
  counterparty: string | null;
}

export interface LedgerRowOut {
  seq: number;
  ts: number;
  epoch: number;
  account: string;
  delta_i64: number;
  reason: string;
  tx_hash: string | null;
  counterparty: string | null;
}

export interface RewardRowOut {
  epoch: number;
  miner: string;
  share_i64: number;
  weight_units: string;
}

export class EpochStore {
  private readonly insertEpoch;
  private readonly insertLedger;
  private readonly insertReward;
  private readonly tipStmt;
  private readonly byEpoch;
  private readonly summaryByEpoch;

  constructor(private readonly db: Database.Database) {
    this.insertEpoch = db.prepare(
      `INSERT INTO epochs (epoch, epoch_hash, header, body, results, certificate, votes, committed_at,
         attestation_count, transfer_count, minted_i64, total_supply_i64)
       VALUES (@epoch, @epoch_hash, @header, @body, @results, @certificate, @votes, @committed_at,
         @attestation_count, @transfer_count, @minted_i64, @total_supply_i64)`,
    );
    this.insertLedger = new BatchInsert(
      db,
      'INSERT INTO ledger (ts, epoch, account, delta_i64, reason, tx_hash, counterparty)',
      7,
    );
    this.insertReward = new BatchInsert(db, 'INSERT INTO rewards (epoch, miner, share_i64, weight_units)', 4);
    this.tipStmt = db.prepare('SELECT epoch, epoch_hash FROM epochs ORDER BY epoch DESC LIMIT 1');
    this.byEpoch = db.prepare('SELECT * FROM epochs WHERE epoch = ?');
    this.summaryByEpoch = db.prepare(
      `SELECT epoch, epoch_hash, header, committed_at, attestation_count, transfer_count, minted_i64
       FROM epochs WHERE epoch = ?`,
    );
  }

  tip(): { epoch: number; epochHash: string } | null {
    const r = this.tipStmt.get() as { epoch: number; epoch_hash: string } | undefined;
    return r ? { epoch: r.epoch, epochHash: r.epoch_hash } : null;
  }

  get(epoch: number): EpochRow | undefined {
    return this.byEpoch.get(epoch) as EpochRow | undefined;
  }

  summary(
    epoch: number,
  ): Omit<EpochRow, 'body' | 'results' | 'certificate' | 'votes' | 'total_supply_i64'> | undefined {
    return this.summaryByEpoch.get(epoch) as
      Omit<EpochRow, 'body' | 'results' | 'certificate' | 'votes' | 'total_supply_i64'> | undefined;
  }

  /** Call inside the commit transaction. Iterables, so a million rows need not be built as arrays first. */
  insert(
    row: EpochRow,
    ledger: Iterable<LedgerInsert>,
    rewards: Iterable<{ miner: string; shareI64: bigint; weightUnits: bigint }>,
  ): void {
    this.insertEpoch.run(row);
    for (const l of ledger) {
      this.insertLedger.add(l.ts, l.epoch, l.account, sqlInt(l.deltaI64), l.reason, l.txHash, l.counterparty);
    }
    this.insertLedger.flush();
    for (const r of rewards) this.insertReward.add(row.epoch, r.miner, sqlInt(r.shareI64), r.weightUnits.toString());
    this.insertReward.flush();
  }

  /** Newest first, keyset: epochs strictly below `before` (or from the tip). */
  list(limit: number, before: number | null) {
    const sql = `SELECT epoch, epoch_hash, header, committed_at, attestation_count, transfer_count, minted_i64
       FROM epochs ${before === null ? '' : 'WHERE epoch < ?'} ORDER BY epoch DESC LIMIT ?`;
    const args = before === null ? [limit] : [before, limit];
    return this.db.prepare(sql).all(...args) as Omit<
      EpochRow,
      'body' | 'results' | 'certificate' | 'votes' | 'total_supply_i64'
    >[];
  }

  count(): number {
    return this.db.prepare('SELECT COUNT(*) FROM epochs').pluck().get() as number;
  }

  /** Newest `limit` ledger rows of an account. */
  ledgerOf(account: string, limit: number, beforeSeq: number | null = null): LedgerRowOut[] {
    if (beforeSeq === null) {
      return this.db
        .prepare('SELECT * FROM ledger WHERE account = ? ORDER BY seq DESC LIMIT ?')
        .all(account, limit) as LedgerRowOut[];
    }
    return this.db
      .prepare('SELECT * FROM ledger WHERE account = ? AND seq < ? ORDER BY seq DESC LIMIT ?')
      .all(account, beforeSeq, limit) as LedgerRowOut[];
  }

  ledgerCountOf(account: string): number {
    return this.db.prepare('SELECT COUNT(*) FROM ledger WHERE account = ?').pluck().get(account) as number;
  }

  rewardsOf(epoch: number, limit: number, offset: number): RewardRowOut[] {
    return this.db
      .prepare('SELECT * FROM rewards WHERE epoch = ? ORDER BY miner LIMIT ? OFFSET ?')
      .all(epoch, limit, offset) as RewardRowOut[];
  }

  rewardsOfMiner(miner: string, limit: number, beforeEpoch: number | null): RewardRowOut[] {
    return this.db
      .prepare(
        `SELECT * FROM rewards WHERE miner = ? ${beforeEpoch === null ? '' : 'AND epoch < ?'} ORDER BY epoch DESC LIMIT ?`,
      )
      .all(...(beforeEpoch === null ? [miner, limit] : [miner, beforeEpoch, limit])) as RewardRowOut[];
  }

  byHash(epochHash: string): number | undefined {
    return this.db.prepare('SELECT epoch FROM epochs WHERE epoch_hash = ?').pluck().get(epochHash) as
      number | undefined;
  }

  /** Newest ledger rows of the whole chain. */
  latestLedger(limit: number): LedgerRowOut[] {
    return this.db.prepare('SELECT * FROM ledger ORDER BY seq DESC LIMIT ?').all(limit) as LedgerRowOut[];
  }

  /** Rows are never deleted, so the largest sequence number is the row count (no full scan). */
  ledgerRowCount(): number {
    return (this.db.prepare('SELECT MAX(seq) FROM ledger').pluck().get() as number | null) ?? 0;
  }
}
