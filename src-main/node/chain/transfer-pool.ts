/**
 * The transfer pool and the stateful admission rows of A.5.5 (23 replay, 24 nonce order, 24a pool caps,
 * 25 available balance). Accepted transfers are written to SQLite before the caller answers 200.
 */
import { canonicalJson, type JsonObject } from '../../protocol/canonical-json.js';
import type { ChainState } from '../../protocol/epoch/state.js';
import {
  insufficientBalanceError,
  outOfOrderError,
  replayError,
  tooManyPendingError,
  transferObjectOf,
  type AdmittedTransfer,
} from '../../protocol/transfer.js';
import type { NewTransfer, TransferRow, TransferStore } from '../db/transfer-store.js';

export const MAX_PENDING_PER_SENDER = 64;
export const MAX_POOL_TRANSFERS = 50_000;

export interface PooledTransfer extends Pick<
  AdmittedTransfer,
  'txId' | 'txHash' | 'from' | 'to' | 'amountI64' | 'nonce'
> {
  pendingId: number;
  receivedAt: number;
  receiptEpoch: number;
  object: JsonObject;
  objectText: string;
}

/** `stored` settles once the transfer's INSERT committed (then `pooled.pendingId` is set). */
export type Admission =
  { ok: true; pooled: PooledTransfer; stored: Promise<void> } | { ok: false; status: number; body: JsonObject };

interface Unstored {
  row: NewTransfer;
  pooled: PooledTransfer;
  resolve: () => void;
  reject: (err: unknown) => void;
}

interface SenderPending {
  count: number;
  debitI64: bigint;
}

export class TransferPool {
  private readonly byId = new Map<string, PooledTransfer>();
  private readonly senders = new Map<string, SenderPending>();
  /** Largest nonce ever accepted per sender (lazy cache of sender_nonces). */
  private readonly maxNonces = new Map<string, bigint | null>();
  /** Admitted in this turn of the event loop, written together by `flush()` (group commit). */
  private unstored: Unstored[] = [];

  constructor(private readonly store: TransferStore) {
    for (const row of store.pending()) this.track(fromRow(row));
  }

  get size(): number {
    return this.byId.size;
  }

  pendingOut(account: string): bigint {
    return this.senders.get(account)?.debitI64 ?? 0n;
  }

  pendingCount(account: string): number {
    return this.senders.get(account)?.count ?? 0;
  }

  private maxNonce(address: string): bigint | null {
    let v = this.maxNonces.get(address);
    if (v === undefined) {
      v = this.store.maxNonce(address);
      this.maxNonces.set(address, v);
    }
    return v;
  }

  private isNonceUsed(from: string, nonce: bigint): boolean {
    return (
      this.unstored.some((u) => u.row.from === from && u.row.nonce === nonce) || this.store.isNonceUsed(from, nonce)
    );
  }

  /** Rows 23–25 against the committed state plus the pool; on success the transfer is stored and pooled. */
  admit(t: AdmittedTransfer, state: ChainState, receivedAt: number, receiptEpoch: number): Admission {
    const latest = this.maxNonce(t.from);
    if (latest !== null && t.nonce <= latest) {
      if (this.isNonceUsed(t.from, t.nonce)) return { ok: false, status: 400, body: replayError(t.nonce) };
      return { ok: false, status: 400, body: outOfOrderError(t.nonce, latest) };
    }
    const pending = this.senders.get(t.from);
    if ((pending?.count ?? 0) >= MAX_PENDING_PER_SENDER || this.byId.size >= MAX_POOL_TRANSFERS) {
      return { ok: false, status: 429, body: tooManyPendingError() };
    }
    const balance = state.balances.get(t.from) ?? 0n;
    const debits = pending?.debitI64 ?? 0n;
    const available = balance - debits;
    if (available < t.amountI64) {
      return {
        ok: false,
        status: 400,
        body: insufficientBalanceError({ balance, pendingDebits: debits, available, requested: t.amountI64 }),
      };
    }
    const object = transferObjectOf(t);
    const objectText = canonicalJson(object);
    const at = Math.floor(receivedAt);
    const row: NewTransfer = {
      txId: t.txId,
      txHash: t.txHash,
      from: t.from,
      to: t.to,
      amountI64: t.amountI64,
      nonce: t.nonce,
      memo: t.memo,
      receivedAt: at,
      receiptEpoch,
      object: objectText,
    };
    this.maxNonces.set(t.from, t.nonce);
    const pooled: PooledTransfer = {
      pendingId: 0,
      txId: t.txId,
      txHash: t.txHash,
      from: t.from,
      to: t.to,
      amountI64: t.amountI64,
      nonce: t.nonce,
      receivedAt: at,
      receiptEpoch,
      object,
      objectText,
    };
    this.track(pooled);
    const stored = new Promise<void>((resolve, reject) => {
      if (this.unstored.length === 0) setImmediate(() => this.flush());
      this.unstored.push({ row, pooled, resolve, reject });
    });
    return { ok: true, pooled, stored };
  }

  /**
   * Writes every admitted-but-unstored transfer in one transaction. Runs on the next turn of the event
   * loop, and before an epoch is built, so a body never holds a transfer that is not in SQLite. On failure
   * the transfers leave the pool again and their requests fail.
   */
  flush(): void {
    const batch = this.unstored;
    if (batch.length === 0) return;
    this.unstored = [];
    let ids: number[];
    try {
      ids = this.store.insertAccepted(batch.map((u) => u.row));
    } catch (err) {
      for (const u of batch) {
        this.remove(u.pooled.txId);
        this.maxNonces.delete(u.pooled.from); // reloaded from SQLite on next use
      }
      for (const u of batch) u.reject(err);
      return;
    }
    batch.forEach((u, i) => {
      u.pooled.pendingId = ids[i] as number;
      u.resolve();
    });
  }

  private track(p: PooledTransfer): void {
    this.byId.set(p.txId, p);
    const s = this.senders.get(p.from);
    if (s) {
      s.count++;
      s.debitI64 += p.amountI64;
    } else {
      this.senders.set(p.from, { count: 1, debitI64: p.amountI64 });
    }
  }

  /** Removes a transfer from the in-memory pool (after its commit transaction). */
  remove(txId: string): void {
    const p = this.byId.get(txId);
    if (!p) return;
    this.byId.delete(txId);
    const s = this.senders.get(p.from);
    if (s) {
      s.count--;
      s.debitI64 -= p.amountI64;
      if (s.count <= 0) this.senders.delete(p.from);
    }
  }

  /** Pooled transfers received in epoch ≤ E. */
  eligible(epoch: number): PooledTransfer[] {
    const out: PooledTransfer[] = [];
    for (const p of this.byId.values()) if (p.receiptEpoch <= epoch) out.push(p);
    return out;
  }

  get(txId: string): PooledTransfer | undefined {
    return this.byId.get(txId);
  }

  all(): IterableIterator<PooledTransfer> {
    return this.byId.values();
  }
}

function fromRow(row: TransferRow): PooledTransfer {
  const object = JSON.parse(row.object) as JsonObject;
  return {
    pendingId: row.pending_id,
    txId: row.tx_id,
    txHash: row.tx_hash,
    from: row.from_addr,
    to: row.to_addr,
    amountI64: BigInt(row.amount_i64),
    nonce: BigInt(row.nonce),
    receivedAt: row.received_at,
    receiptEpoch: row.receipt_epoch,
    object,
    objectText: row.object,
  };
}
