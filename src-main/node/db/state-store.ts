/**
 * The committed chain state (B.6.3 kinds balance, nonce, binding, pin, meta) in SQLite, and the node's
 * key/value meta rows. The node keeps the state in memory and writes each epoch's diff here inside the
 * commit transaction.
 */
import type Database from 'better-sqlite3';
import { emptyState, type Binding, type ChainState } from '../../protocol/epoch/state.js';
import { BatchInsert, sqlInt } from './batch-insert.js';

export interface StateDiff {
  balances: Map<string, bigint>; // 0n = delete
  nonces: Map<string, bigint>;
  bindings: Map<string, Binding | null>;
  pins: Map<string, string>;
  totalSupplyI64: bigint;
}

export class StateStore {
  private readonly upsertBalance;
  private readonly deleteBalance;
  private readonly upsertNonce;
  private readonly upsertBinding;
  private readonly deleteBinding;
  private readonly insertPin;
  private readonly getMetaStmt;
  private readonly setMetaStmt;

  constructor(private readonly db: Database.Database) {
    this.upsertBalance = new BatchInsert(
      db,
      'INSERT INTO state_balances (account, amount_i64)',
      2,
      'ON CONFLICT (account) DO UPDATE SET amount_i64 = excluded.amount_i64',
    );
    this.deleteBalance = db.prepare('DELETE FROM state_balances WHERE account = ?');
    this.upsertNonce = db.prepare(
      'INSERT INTO state_nonces (address, nonce) VALUES (?, ?) ON CONFLICT (address) DO UPDATE SET nonce = excluded.nonce',
    );
    this.upsertBinding = db.prepare(
      'INSERT INTO state_bindings (hardware_id, last_epoch, miner) VALUES (?, ?, ?) ON CONFLICT (hardware_id) DO UPDATE SET last_epoch = excluded.last_epoch, miner = excluded.miner',
    );
    this.deleteBinding = db.prepare('DELETE FROM state_bindings WHERE hardware_id = ?');
    this.insertPin = db.prepare('INSERT OR IGNORE INTO state_pins (miner, public_key) VALUES (?, ?)');
    this.getMetaStmt = db.prepare('SELECT value FROM meta WHERE key = ?').pluck();
    this.setMetaStmt = db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
  }

  getMeta(key: string): string | undefined {
    return this.getMetaStmt.get(key) as string | undefined;
  }

  setMeta(key: string, value: string): void {
    this.setMetaStmt.run(key, value);
  }

  load(): ChainState {
    const s = emptyState();
    for (const r of this.db.prepare('SELECT account, amount_i64 FROM state_balances').raw().iterate()) {
      const [account, amount] = r as [string, number];
      s.balances.set(account, BigInt(amount));
    }
    for (const r of this.db.prepare('SELECT address, nonce FROM state_nonces').raw().iterate()) {
      const [address, nonce] = r as [string, string];
      s.nonces.set(address, BigInt(nonce));
    }
    for (const r of this.db.prepare('SELECT hardware_id, last_epoch, miner FROM state_bindings').raw().iterate()) {
      const [id, lastEpoch, miner] = r as [string, number, string];
      s.bindings.set(id, { lastEpoch, miner });
    }
    for (const r of this.db.prepare('SELECT miner, public_key FROM state_pins').raw().iterate()) {
      const [miner, key] = r as [string, string];
      s.pins.set(miner, key);
    }
    s.totalSupplyI64 = BigInt(this.getMeta('total_supply_i64') ?? '0');
    return s;
  }

  /** Writes a diff; call inside the commit transaction. */
  apply(diff: StateDiff): void {
    for (const [account, amount] of diff.balances) {
      if (amount === 0n) this.deleteBalance.run(account);
      else this.upsertBalance.add(account, sqlInt(amount));
    }
    this.upsertBalance.flush();
    for (const [address, nonce] of diff.nonces) this.upsertNonce.run(address, nonce.toString());
    for (const [id, b] of diff.bindings) {
      if (b === null) this.deleteBinding.run(id);
      else this.upsertBinding.run(id, b.lastEpoch, b.miner);
    }
    for (const [miner, key] of diff.pins) this.insertPin.run(miner, key);
    this.setMeta('total_supply_i64', diff.totalSupplyI64.toString());
  }
}

/** The entries of `next` that differ from `prev`, given the keys an epoch may have touched. */
export function stateDiff(
  prev: ChainState,
  next: ChainState,
  touched: { accounts: Iterable<string>; senders: Iterable<string>; pins: Iterable<string> },
): StateDiff {
  const balances = new Map<string, bigint>();
  for (const a of touched.accounts) {
    const after = next.balances.get(a) ?? 0n;
    if (after !== (prev.balances.get(a) ?? 0n)) balances.set(a, after);
  }
  const nonces = new Map<string, bigint>();
  for (const a of touched.senders) {
    const after = next.nonces.get(a);
    if (after !== undefined && after !== prev.nonces.get(a)) nonces.set(a, after);
  }
  const bindings = new Map<string, Binding | null>();
  for (const [id, b] of next.bindings) {
    const before = prev.bindings.get(id);
    if (before !== b) bindings.set(id, b);
  }
  if (next.bindings.size !== prev.bindings.size + countNew(prev.bindings, next.bindings)) {
    for (const id of prev.bindings.keys()) if (!next.bindings.has(id)) bindings.set(id, null);
  }
  const pins = new Map<string, string>();
  for (const m of touched.pins) {
    const key = next.pins.get(m);
    if (key !== undefined && !prev.pins.has(m)) pins.set(m, key);
  }
  return { balances, nonces, bindings, pins, totalSupplyI64: next.totalSupplyI64 };
}

function countNew<V>(prev: Map<string, V>, next: Map<string, V>): number {
  let n = 0;
  for (const id of next.keys()) if (!prev.has(id)) n++;
  return n;
}
