/**
 * Every transfer the node ever accepted (A.5, B.4) with its status: pending, confirmed, voided (at
 * settlement) or failed (left the pool uncommitted: nonce_superseded / expired). The unique
 * (from_addr, nonce) index is the replay record of A.5.5 row 23.
 */
import type Database from 'better-sqlite3';
import type { AdmittedTransfer } from '../../protocol/transfer.js';

export type TransferStatus = 'pending' | 'confirmed' | 'voided' | 'failed';

export interface TransferRow {
  pending_id: number;
  tx_id: string;
  tx_hash: string;
  from_addr: string;
  to_addr: string;
  amount_i64: number;
  nonce: string;
  memo: string;
  received_at: number;
  receipt_epoch: number;
  status: TransferStatus;
  epoch: number | null;
  void_reason: string | null;
  settled_at: number | null;
  object: string;
}

/** The admitted transfer's identity and amounts, plus where and when this node received it. */
export interface NewTransfer extends Pick<
  AdmittedTransfer,
  'txId' | 'txHash' | 'from' | 'to' | 'amountI64' | 'nonce' | 'memo'
> {
  receivedAt: number;
  receiptEpoch: number;
  object: string;
}

export class TransferStore {
  private readonly insertStmt;
  private readonly upsertMaxNonce;
  private readonly maxNonceStmt;
  private readonly usedStmt;
  private readonly settleStmt;
  private readonly byHashStmt;
  /** Accepted transfers written in one transaction (group commit); returns their pending ids in order. */
  readonly insertAccepted: (ts: readonly NewTransfer[]) => number[];

  constructor(private readonly db: Database.Database) {
    this.insertStmt = db.prepare(
      `INSERT INTO transfers (tx_id, tx_hash, from_addr, to_addr, amount_i64, nonce, memo, received_at, receipt_epoch, status, object)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)`,
    );
    this.upsertMaxNonce = db.prepare(
      'INSERT INTO sender_nonces (address, max_nonce) VALUES (?, ?) ON CONFLICT (address) DO UPDATE SET max_nonce = excluded.max_nonce',
    );
    this.maxNonceStmt = db.prepare('SELECT max_nonce FROM sender_nonces WHERE address = ?').pluck();
    this.usedStmt = db.prepare('SELECT 1 FROM transfers WHERE from_addr = ? AND nonce = ?').pluck();
    this.settleStmt = db.prepare(
      'UPDATE transfers SET status = ?, epoch = ?, void_reason = ?, settled_at = ? WHERE tx_id = ?',
    );
    this.byHashStmt = db.prepare('SELECT * FROM transfers WHERE tx_hash = ? LIMIT 2');
    // The transfers accepted in one turn of the event loop share a transaction; each 200 is sent only
    // after it commits.
    this.insertAccepted = db.transaction((ts: readonly NewTransfer[]): number[] =>
      ts.map((t) => {
        const info = this.insertStmt.run(
          t.txId,
          t.txHash,
          t.from,
          t.to,
          t.amountI64,
          t.nonce.toString(),
          t.memo,
          t.receivedAt,
          t.receiptEpoch,
          t.object,
        );
        this.upsertMaxNonce.run(t.from, t.nonce.toString());
        return Number(info.lastInsertRowid);
      }),
    );
  }

  maxNonce(address: string): bigint | null {
    const v = this.maxNonceStmt.get(address) as string | undefined;
    return v === undefined ? null : BigInt(v);
  }

  isNonceUsed(address: string, nonce: bigint): boolean {
    return this.usedStmt.get(address, nonce.toString()) !== undefined;
  }

  pending(): TransferRow[] {
    return this.db
      .prepare("SELECT * FROM transfers WHERE status = 'pending' ORDER BY pending_id")
      .all() as TransferRow[];
  }

  /** Inside the commit transaction. */
  settle(txId: string, status: TransferStatus, epoch: number | null, voidReason: string | null, at: number): void {
    this.settleStmt.run(status, epoch, voidReason, at, txId);
  }

  byHash(txHash: string): TransferRow[] {
    return this.byHashStmt.all(txHash) as TransferRow[];
  }

  /** `/pending/list`: newest first, optional account and status filter. */
  list(opts: { account: string | null; statuses: TransferStatus[] | null; limit: number }): TransferRow[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (opts.statuses) {
      where.push(`status IN (${opts.statuses.map(() => '?').join(',')})`);
      args.push(...opts.statuses);
    }
    if (opts.account !== null) {
      where.push('(from_addr = ? OR to_addr = ?)');
      args.push(opts.account, opts.account);
    }
    const sql = `SELECT * FROM transfers ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY pending_id DESC LIMIT ?`;
    return this.db.prepare(sql).all(...args, opts.limit) as TransferRow[];
  }

  /** Not-committed transfers (pending, voided, failed) of an account, newest first. */
  uncommittedOf(account: string): TransferRow[] {
    return this.db
      .prepare(
        `SELECT * FROM transfers WHERE status IN ('pending', 'voided', 'failed') AND (from_addr = ? OR to_addr = ?) ORDER BY pending_id DESC LIMIT 10000`,
      )
      .all(account, account) as TransferRow[];
  }

  /** Not-committed transfers of the whole node, newest first (for /api/transactions). */
  uncommitted(limit: number): TransferRow[] {
    return this.db
      .prepare(
        `SELECT * FROM transfers WHERE status IN ('pending', 'voided', 'failed') ORDER BY pending_id DESC LIMIT ?`,
      )
      .all(limit) as TransferRow[];
  }

  uncommittedCount(): number {
    return this.db
      .prepare(`SELECT COUNT(*) FROM transfers WHERE status IN ('pending', 'voided', 'failed')`)
      .pluck()
      .get() as number;
  }
}
