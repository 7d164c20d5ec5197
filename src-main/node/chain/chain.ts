/**
 * The local chain: committed state and tip in memory (loaded from SQLite at start), the two pools, the
 * slot clock that commits each epoch at its proposal time (single validator, B.7.6), and start-up
 * catch-up (B.7.8). Everything that changes state goes through here, so there is a single writer.
 */
import { EventEmitter } from 'node:events';
import type Database from 'better-sqlite3';
import { parseJson, type JsonObject, type JsonValue } from '../../protocol/canonical-json.js';
import { validateBody } from '../../protocol/epoch/body.js';
import { executeEpoch } from '../../protocol/epoch/execute.js';
import type { Certificate } from '../../protocol/epoch/finality.js';
import type { EpochBody } from '../../protocol/epoch/types.js';
import type { ChainState } from '../../protocol/epoch/state.js';
import type { Genesis } from '../../protocol/genesis.js';
import type { Verifier } from '../../protocol/keys.js';
import type { Clock } from '../clock.js';
import { AttestationStore } from '../db/attestation-store.js';
import { EpochStore } from '../db/epoch-store.js';
import { StateStore } from '../db/state-store.js';
import { TransferStore } from '../db/transfer-store.js';
import { AttestationPool, bodyAttestationOf } from './attestation-pool.js';
import { bodyJson, commitEpoch, selectBody, type CommitStores } from './epoch-committer.js';
import { nodeSha256 } from './node-hash.js';
import { Schedule } from './schedule.js';
import { TransferPool, type PooledTransfer } from './transfer-pool.js';

export interface EpochCommittedEvent {
  epoch: number;
  epoch_hash: string;
  attestations: number;
  transfers: number;
  minted_i64: bigint;
}

export interface ChainOptions {
  db: Database.Database;
  genesis: Genesis;
  genesisHash: string;
  /** Seed of the validator key when this node is the genesis validator; null → never commits. */
  validatorSeed: Uint8Array | null;
  clock: Clock;
  verify: Verifier;
  onError?: (err: unknown) => void;
}

export class Chain extends EventEmitter {
  readonly genesis: Genesis;
  readonly genesisHash: string;
  readonly schedule: Schedule;
  readonly clock: Clock;
  readonly verify: Verifier;
  readonly stores: CommitStores & {
    state: StateStore;
    epochs: EpochStore;
    transfers: TransferStore;
    attestations: AttestationStore;
  };
  readonly transferPool: TransferPool;
  readonly attestationPool = new AttestationPool();
  private stateValue: ChainState;
  private tipValue: { epoch: number; epochHash: string } | null;
  private cancelTimer: (() => void) | null = null;
  private stopped = false;
  private readonly validatorSeed: Uint8Array | null;
  private readonly onError: (err: unknown) => void;
  private readonly committedTxStmt: Database.Statement;

  constructor(opts: ChainOptions) {
    super();
    this.genesis = opts.genesis;
    this.genesisHash = opts.genesisHash;
    this.schedule = new Schedule(opts.genesis);
    this.clock = opts.clock;
    this.verify = opts.verify;
    this.validatorSeed = opts.validatorSeed;
    this.onError = opts.onError ?? (() => undefined);
    const db = opts.db;
    this.stores = {
      db,
      state: new StateStore(db),
      epochs: new EpochStore(db),
      transfers: new TransferStore(db),
      attestations: new AttestationStore(db),
    };
    this.tipValue = this.stores.epochs.tip();
    if (this.tipValue === null) {
      this.stateValue = this.genesisStateFromMeta();
    } else {
      this.stateValue = this.stores.state.load();
    }
    this.transferPool = new TransferPool(this.stores.transfers);
    this.committedTxStmt = db.prepare("SELECT 1 FROM transfers WHERE tx_id = ? AND status = 'confirmed'");
    for (const row of this.stores.attestations.pool()) {
      const normalised = parseJson(row.object) as JsonObject;
      this.attestationPool.offer({
        epoch: row.epoch,
        receivedAt: row.received_at,
        size: row.object.length,
        att: bodyAttestationOf(normalised, row.id),
      });
    }
  }

  /** Before the first commit the state is the genesis state; it is written to SQLite with epoch first_epoch. */
  private genesisStateFromMeta(): ChainState {
    const s: ChainState = {
      balances: new Map(),
      nonces: new Map(),
      bindings: new Map(),
      pins: new Map(),
      totalSupplyI64: 0n,
    };
    for (const a of this.genesis.allocations) {
      s.balances.set(a.address, (s.balances.get(a.address) ?? 0n) + BigInt(a.amount_i64));
      s.totalSupplyI64 += BigInt(a.amount_i64);
    }
    // The genesis balances must be in the table before any diff is applied on top of them.
    this.stores.db.transaction(() => {
      for (const [account, amount] of s.balances) {
        this.stores.db
          .prepare('INSERT OR REPLACE INTO state_balances (account, amount_i64) VALUES (?, ?)')
          .run(account, amount);
      }
      this.stores.state.setMeta('total_supply_i64', s.totalSupplyI64.toString());
    })();
    return s;
  }

  get state(): ChainState {
    return this.stateValue;
  }

  get tip(): { epoch: number; epochHash: string } | null {
    return this.tipValue;
  }

  get isValidator(): boolean {
    return this.validatorSeed !== null;
  }

  now(): number {
    return this.clock.now();
  }

  /** The next epoch to commit. */
  nextEpoch(): number {
    return this.tipValue === null ? this.genesis.first_epoch : this.tipValue.epoch + 1;
  }

  /** An epoch is closed once its proposal time has come or it is committed (B.3 admission). */
  isEpochClosed(epoch: number, now: number): boolean {
    return epoch < this.nextEpoch() || Math.floor(now) >= this.schedule.proposalDue(epoch);
  }

  /** B.7.8: commits every epoch whose proposal time has passed, then arms the timer for the next. */
  catchUp(): number {
    let n = 0;
    if (!this.validatorSeed) return n;
    while (!this.stopped && this.schedule.proposalDue(this.nextEpoch()) <= Math.floor(this.clock.now())) {
      this.commitNext();
      n++;
    }
    return n;
  }

  start(): void {
    this.catchUp();
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    this.cancelTimer?.();
    this.cancelTimer = null;
  }

  private arm(): void {
    if (this.stopped || !this.validatorSeed) return;
    this.cancelTimer?.();
    this.cancelTimer = this.clock.at(this.schedule.proposalDue(this.nextEpoch()), () => {
      try {
        this.catchUp();
      } catch (err) {
        this.onError(err);
      }
      this.arm();
    });
  }

  private commitNext(): void {
    const E = this.nextEpoch();
    const { body, leftOut } = selectBody(
      E,
      this.attestationPool.candidates(E),
      this.transferPool.eligible(E),
      this.stateValue,
    );
    this.commit(E, body, leftOut, null);
  }

  /** Multi-validator proposer (B.6.1): a body for `epoch` from the pools, as JSON. */
  buildBody(epoch: number): JsonObject {
    this.transferPool.flush(); // a body never holds a transfer that is not in SQLite yet
    const { body } = selectBody(
      epoch,
      this.attestationPool.candidates(epoch),
      this.transferPool.eligible(epoch),
      this.stateValue,
    );
    return bodyJson(body);
  }

  /** Finality's re-execution check (B.7.4): the body is valid on the committed tip and yields this header. */
  executeBody(epoch: number, bodyValue: JsonValue): { ok: true; header: JsonObject } | { ok: false; reason: string } {
    if (epoch !== this.nextEpoch()) return { ok: false, reason: 'not_next_epoch' };
    const check = this.validateBodyFor(epoch, bodyValue);
    if (!check.ok) return { ok: false, reason: check.rule };
    const execution = executeEpoch(this.stateValue, check.body, {
      chainId: this.genesis.chain_id,
      epoch,
      prevHash: this.tipValue?.epochHash ?? this.genesisHash,
      epochPotI64: BigInt(this.genesis.epoch_pot_i64),
      epochSlots: this.genesis.epoch_slots,
      hash: nodeSha256,
    });
    return { ok: true, header: execution.header as unknown as JsonObject };
  }

  private validateBodyFor(epoch: number, bodyValue: JsonValue) {
    return validateBody(bodyValue, {
      chainId: this.genesis.chain_id,
      epoch,
      epochSlots: this.genesis.epoch_slots,
      state: this.stateValue,
      isCommittedTxId: (txId) => this.committedTxStmt.get(txId) !== undefined,
      verify: this.verify,
    });
  }

  /**
   * B.7.5: applies an epoch certified elsewhere (sync from peers) whose certificate the caller verified
   * against the tip: the body is validated against the committed state, re-executed, and written in
   * one transaction only when it reproduces the certified header. Throws (nothing written) otherwise.
   */
  applyCertified(certificate: Certificate, bodyValue: JsonValue): void {
    const E = this.nextEpoch();
    if (certificate.epoch !== E) throw new Error(`certificate for epoch ${certificate.epoch}, expected ${E}`);
    const check = this.validateBodyFor(E, bodyValue);
    if (!check.ok) throw new Error(`epoch ${E}: body rejected (${check.rule}): ${check.message}`);
    const inBody = new Set(check.body.transfers.map((t) => t.txId));
    const leftOut = [...this.transferPool.all()].filter((p) => !inBody.has(p.txId));
    this.commit(E, check.body, leftOut, certificate);
  }

  private commit(E: number, body: EpochBody, leftOut: PooledTransfer[], certified: Certificate | null): void {
    // Pooled transfers still waiting for their group commit get their rows first, so settling finds them.
    this.transferPool.flush();
    const prevHash = this.tipValue?.epochHash ?? this.genesisHash;
    const out = commitEpoch(this.stores, {
      genesis: this.genesis,
      genesisHash: this.genesisHash,
      validatorSeed: this.validatorSeed,
      ...(certified ? { certified } : {}),
      epoch: E,
      prevHash,
      prevState: this.stateValue,
      body,
      leftOut,
      now: this.clock.now(),
    });
    // The transaction committed: only now does the in-memory view move.
    this.stateValue = out.execution.state;
    this.tipValue = { epoch: E, epochHash: out.execution.epochHash };
    for (const s of out.settled) this.transferPool.remove(s.txId);
    this.attestationPool.forgetBefore(E);
    // Issued nonces only need to outlive their 300 s TTL (B.10).
    this.stores.attestations.purgeExpiredChallenges(this.clock.now());
    const event: EpochCommittedEvent = {
      epoch: E,
      epoch_hash: out.execution.epochHash,
      attestations: body.attestations.length,
      transfers: body.transfers.length,
      minted_i64: out.execution.mintedI64,
    };
    this.emit('epoch_committed', event, out);
  }
}
