/**
 * Single-validator settlement of one epoch (B.6, B.7.6): build the body from the pools, execute it,
 * sign the proposal, prevote and precommit, and write everything — epoch record, ledger and reward rows,
 * the state diff, transfer outcomes, the dropped pool — in ONE SQLite transaction, so a crash at any
 * point leaves either the whole epoch or none of it.
 */
import type Database from 'better-sqlite3';
import { canonicalJson, type JsonObject, type JsonValue } from '../../protocol/canonical-json.js';
import { compareAttestations, compareTransfers, MAX_BODY_BYTES } from '../../protocol/epoch/body.js';
import { executeEpoch, genesisLedger, type EpochExecution } from '../../protocol/epoch/execute.js';
import { makeCertificate, signProposal, signVote, type Certificate } from '../../protocol/epoch/finality.js';
import type { ChainState } from '../../protocol/epoch/state.js';
import type { BodyAttestation, BodyTransfer, EpochBody } from '../../protocol/epoch/types.js';
import type { Genesis } from '../../protocol/genesis.js';
import type { AttestationStore } from '../db/attestation-store.js';
import type { EpochStore, LedgerInsert } from '../db/epoch-store.js';
import { stateDiff, type StateStore } from '../db/state-store.js';
import type { TransferStore } from '../db/transfer-store.js';
import type { PoolEntry } from './attestation-pool.js';
import type { PooledTransfer } from './transfer-pool.js';
import { nodeSha256 } from './node-hash.js';

/** A pooled transfer that can no longer confirm is failed after this many epochs (B.4). */
export const TRANSFER_EXPIRY_EPOCHS = 30;

export interface CommitStores {
  db: Database.Database;
  state: StateStore;
  epochs: EpochStore;
  transfers: TransferStore;
  attestations: AttestationStore;
}

export interface SelectedBody {
  body: EpochBody;
  /** The pooled transfers that were left out (they stay pooled unless superseded or expired). */
  leftOut: PooledTransfer[];
}

/**
 * Proposer policy (B.4, B.6.1): the epoch's candidates and the eligible transfers that would confirm,
 * selected by receipt time when the 12 MiB limit would be exceeded, then sorted into execution order.
 */
export function selectBody(
  epoch: number,
  candidates: readonly PoolEntry[],
  transfers: readonly PooledTransfer[],
  state: ChainState,
): SelectedBody {
  let budget = MAX_BODY_BYTES - 64;
  const atts: BodyAttestation[] = [];
  for (const c of [...candidates].sort((a, b) => a.receivedAt - b.receivedAt)) {
    if (c.size + 1 > budget) continue;
    budget -= c.size + 1;
    atts.push(c.att);
  }
  atts.sort(compareAttestations);

  // Would it confirm, executed after the transfers already taken? Rewards of E are not counted: the
  // node admitted every pooled transfer against its committed balance, so they are never needed.
  const ordered = transfers.map((p) => ({ p, t: toBodyTransfer(p) })).sort((a, b) => compareTransfers(a.t, b.t));
  const balances = new Map<string, bigint>();
  const nonces = new Map<string, bigint>();
  const balance = (a: string) => balances.get(a) ?? state.balances.get(a) ?? 0n;
  const picked: { p: PooledTransfer; t: BodyTransfer }[] = [];
  const leftOut: PooledTransfer[] = [];
  for (const x of [...ordered].sort((a, b) => a.p.receivedAt - b.p.receivedAt || compareTransfers(a.t, b.t))) {
    if (x.p.objectText.length + 1 > budget) {
      leftOut.push(x.p);
      continue;
    }
    budget -= x.p.objectText.length + 1;
    picked.push(x);
  }
  picked.sort((a, b) => compareTransfers(a.t, b.t));
  const included: BodyTransfer[] = [];
  for (const { p, t } of picked) {
    const last = nonces.get(t.from) ?? state.nonces.get(t.from);
    if ((last !== undefined && t.nonce <= last) || balance(t.from) < t.amountI64) {
      leftOut.push(p);
      continue;
    }
    balances.set(t.from, balance(t.from) - t.amountI64);
    balances.set(t.to, balance(t.to) + t.amountI64);
    nonces.set(t.from, t.nonce);
    included.push(t);
  }
  return { body: { epoch, attestations: atts, transfers: included }, leftOut };
}

export function toBodyTransfer(p: PooledTransfer): BodyTransfer {
  return { object: p.object, txId: p.txId, from: p.from, to: p.to, amountI64: p.amountI64, nonce: p.nonce };
}

export function bodyJson(body: EpochBody): JsonObject {
  return {
    epoch: body.epoch,
    attestations: body.attestations.map((a) => a.object),
    transfers: body.transfers.map((t) => t.object),
  };
}

export interface CommitInput {
  genesis: Genesis;
  genesisHash: string;
  /** Signs the single-validator certificate (B.7.6); null when `certified` is given. */
  validatorSeed: Uint8Array | null;
  /** A certificate from finality or sync (B.7.5): stored instead of signing; its header must match. */
  certified?: Certificate;
  epoch: number;
  prevHash: string;
  prevState: ChainState;
  body: EpochBody;
  /** Pooled transfers not in the body, checked for nonce_superseded / expired. */
  leftOut: readonly PooledTransfer[];
  now: number;
}

export interface CommitOutput {
  execution: EpochExecution;
  certificate: Certificate;
  /** tx_ids removed from the pool, with their final status. */
  settled: { txId: string; status: 'confirmed' | 'voided' | 'failed'; reason: string | null }[];
}

function ledgerInsert(epoch: number, ts: number, account: string, deltaI64: bigint, reason: string): LedgerInsert {
  let txHash: string | null = null;
  let counterparty: string | null = null;
  const m = /^transfer_(?:in|out):([^:]+):([0-9a-f]{32})$/.exec(reason);
  if (m) {
    counterparty = m[1] as string;
    txHash = m[2] as string;
  }
  return { ts, epoch, account, deltaI64, reason, txHash, counterparty };
}

export function commitEpoch(stores: CommitStores, input: CommitInput): CommitOutput {
  const g = input.genesis;
  const E = input.epoch;
  const execution = executeEpoch(input.prevState, input.body, {
    chainId: g.chain_id,
    epoch: E,
    prevHash: input.prevHash,
    epochPotI64: BigInt(g.epoch_pot_i64),
    epochSlots: g.epoch_slots,
    hash: nodeSha256,
  });

  const header = execution.header as unknown as JsonObject;
  const { certificate, votes } = input.certified
    ? certifiedRecord(input.certified, header)
    : selfCertify(g.chain_id, E, header, execution.epochHash, input.validatorSeed);

  const ts = Math.floor(input.now);
  const ledger: LedgerInsert[] = [];
  if (E === g.first_epoch) {
    for (const row of genesisLedger(g.allocations))
      ledger.push(ledgerInsert(E, ts, row.account, row.deltaI64, row.reason));
  }
  for (const row of execution.ledger) ledger.push(ledgerInsert(E, ts, row.account, row.deltaI64, row.reason));

  const touchedAccounts = new Set<string>();
  const senders = new Set<string>();
  for (const r of execution.rewards) touchedAccounts.add(r.miner);
  for (const t of input.body.transfers) {
    touchedAccounts.add(t.from);
    touchedAccounts.add(t.to);
    senders.add(t.from);
  }
  const diff = stateDiff(input.prevState, execution.state, {
    accounts: touchedAccounts,
    senders,
    pins: input.body.attestations.map((a) => a.miner),
  });

  const settled: CommitOutput['settled'] = execution.transferResults.map((r) => ({
    txId: r.tx_id,
    status: r.status,
    reason: r.reason,
  }));
  for (const p of input.leftOut) {
    const last = execution.state.nonces.get(p.from);
    if (last !== undefined && p.nonce <= last)
      settled.push({ txId: p.txId, status: 'failed', reason: 'nonce_superseded' });
    else if (p.receiptEpoch <= E - TRANSFER_EXPIRY_EPOCHS)
      settled.push({ txId: p.txId, status: 'failed', reason: 'expired' });
  }

  const results: JsonValue = {
    attestations: execution.attestationResults as unknown as JsonValue,
    rewards: execution.rewards as unknown as JsonValue,
    transfers: execution.transferResults as unknown as JsonValue,
  };

  stores.db.transaction(() => {
    stores.epochs.insert(
      {
        epoch: E,
        epoch_hash: execution.epochHash,
        header: canonicalJson(header),
        body: canonicalJson(bodyJson(input.body)),
        results: canonicalJson(results),
        certificate: canonicalJson(certificate),
        votes: canonicalJson(votes),
        committed_at: ts,
        attestation_count: input.body.attestations.length,
        transfer_count: input.body.transfers.length,
        minted_i64: Number(execution.mintedI64),
        total_supply_i64: Number(execution.state.totalSupplyI64),
      },
      ledger,
      execution.rewards.map((r) => ({ miner: r.miner, shareI64: r.share_i64, weightUnits: r.weight_units })),
    );
    stores.state.apply(diff);
    for (const s of settled) {
      stores.transfers.settle(s.txId, s.status, s.status === 'failed' ? null : E, s.reason, ts);
    }
    for (const r of execution.attestationResults) if (r.enrolled) stores.attestations.markEnrolled(r.miner, E);
    stores.attestations.dropPoolUpTo(E);
  })();

  return { execution, certificate, settled };
}

/** B.7.6: propose to ourselves, prevote, precommit, certificate (q = 1). */
function selfCertify(
  chainId: string,
  E: number,
  header: JsonObject,
  epochHash: string,
  seed: Uint8Array | null,
): { certificate: Certificate; votes: JsonObject } {
  if (seed === null) throw new Error(`epoch ${E}: neither a validator seed nor a certificate`);
  const proposal = signProposal({ chainId, epoch: E, view: 0, header }, seed);
  const vote = { chainId, epoch: E, view: 0, epochHash };
  const prevote = signVote({ ...vote, phase: 'prevote' }, seed);
  const precommit = signVote({ ...vote, phase: 'precommit' }, seed);
  const certificate = makeCertificate({ chainId, epoch: E, view: 0, header, precommits: [precommit] });
  return { certificate, votes: { proposal, votes: [prevote, precommit] } as unknown as JsonObject };
}

/** A certificate from elsewhere is stored only when re-execution reproduced its header. */
function certifiedRecord(
  certificate: Certificate,
  header: JsonObject,
): { certificate: Certificate; votes: JsonObject } {
  if (canonicalJson(certificate.header as unknown as JsonObject) !== canonicalJson(header)) {
    throw new Error(`epoch ${certificate.epoch}: re-execution does not reproduce the certified header`);
  }
  return { certificate, votes: { proposal: null, votes: certificate.precommits as unknown as JsonValue } };
}
