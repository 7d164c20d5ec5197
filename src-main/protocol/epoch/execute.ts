/**
 * Epoch execution (PROTOCOL.md B.6.2): lapse of old bindings, attestations (B.3), rewards (B.5),
 * transfers (B.4); then the leaves, roots, header and epoch hash (B.6.3–B.6.5) and the ledger rows of
 * B.6.6. The input state is never modified.
 */
import { canonicalJson, type JsonObject } from '../canonical-json.js';
import { asciiBytes, bytesToHex } from '../bytes.js';
import { RTC_ADDRESS } from '../keys.js';
import { defaultHash, merkleRootOfTexts, type HashFn } from '../merkle.js';
import { settle } from '../settlement.js';
import { addBalance, balanceOf, cloneState, stateLeaves, type ChainState } from './state.js';
import type { EpochBody, EpochHeader } from './types.js';

/** A binding lapses after this many epochs without an enrollment (B.2). */
export const BINDING_LAPSE_EPOCHS = 30;

export interface ExecuteParams {
  chainId: string;
  epoch: number;
  prevHash: string;
  epochPotI64: bigint;
  epochSlots: number;
  hash?: HashFn;
}

export interface AttestationResult {
  attestation_id: string;
  device_arch: string;
  device_family: string;
  enrolled: boolean;
  fingerprint_passed: boolean;
  hardware_id: string;
  miner: string;
  reasons: string[];
  weight_units: bigint;
}

export type TransferVoidReason = 'insufficient_balance' | 'nonce_not_increasing';

export interface TransferResult {
  amount_i64: bigint;
  from: string;
  nonce: string;
  reason: TransferVoidReason | null;
  status: 'confirmed' | 'voided';
  to: string;
  tx_id: string;
}

export interface RewardResult {
  miner: string;
  share_i64: bigint;
  weight_units: bigint;
}

export interface LedgerRow {
  account: string;
  deltaI64: bigint;
  reason: string;
}

export interface EpochExecution {
  state: ChainState;
  attestationResults: AttestationResult[];
  transferResults: TransferResult[];
  rewards: RewardResult[];
  mintedI64: bigint;
  leaves: { attestations: string[]; transfers: string[]; rewards: string[]; state: string[] };
  roots: { attestations: string; transfers: string; rewards: string; state: string };
  header: EpochHeader;
  epochHash: string;
  ledger: LedgerRow[];
}

export function headerHash(header: EpochHeader, hash: HashFn = defaultHash): string {
  return bytesToHex(hash(asciiBytes(canonicalJson(header as unknown as JsonObject))));
}

export function executeEpoch(prev: ChainState, body: EpochBody, params: ExecuteParams): EpochExecution {
  const hash = params.hash ?? defaultHash;
  const E = params.epoch;
  const state = cloneState(prev);

  // 0. Lapse.
  for (const [hardwareId, binding] of state.bindings) {
    if (binding.lastEpoch < E - BINDING_LAPSE_EPOCHS) state.bindings.delete(hardwareId);
  }

  // 1. Contested ids: unbound after the lapse and presented by two or more attestations.
  const presented = new Map<string, number>();
  for (const a of body.attestations) presented.set(a.hardwareId, (presented.get(a.hardwareId) ?? 0) + 1);

  // 2. Attestations in body order.
  const attestationResults: AttestationResult[] = [];
  const enrollments: { miner: string; weightUnits: bigint }[] = [];
  const seenFingerprints = new Set<string>();
  for (const a of body.attestations) {
    const reasons = a.verdict.reasons.slice();
    if (seenFingerprints.has(a.fingerprintHash)) reasons.push('fingerprint_reused');
    seenFingerprints.add(a.fingerprintHash);

    const binding = state.bindings.get(a.hardwareId);
    const contested = binding === undefined && (presented.get(a.hardwareId) ?? 0) >= 2;
    const enrolled = !contested && (binding === undefined || binding.miner === a.miner);
    if (!enrolled) {
      reasons.push('duplicate_hardware');
    } else {
      state.bindings.set(a.hardwareId, { lastEpoch: E, miner: a.miner });
      if (!RTC_ADDRESS.test(a.miner) && !state.pins.has(a.miner)) state.pins.set(a.miner, a.publicKey);
      enrollments.push({ miner: a.miner, weightUnits: a.verdict.weightUnits });
    }
    attestationResults.push({
      attestation_id: a.id,
      device_arch: a.verdict.deviceArch,
      device_family: a.verdict.deviceFamily,
      enrolled,
      fingerprint_passed: a.verdict.passed,
      hardware_id: a.hardwareId,
      miner: a.miner,
      reasons,
      weight_units: enrolled ? a.verdict.weightUnits : 0n,
    });
  }

  // 3. Rewards, against the supply as it was before E.
  const settlement = settle({
    potI64: params.epochPotI64,
    totalSupplyBeforeI64: prev.totalSupplyI64,
    enrollments,
  });
  const ledger: LedgerRow[] = [];
  const rewards: RewardResult[] = new Array<RewardResult>(settlement.shares.length);
  const rewardReason = `epoch_${E}_reward`;
  for (let i = 0; i < settlement.shares.length; i++) {
    const s = settlement.shares[i]!;
    rewards[i] = { miner: s.miner, share_i64: s.shareI64, weight_units: s.weightUnits };
    if (s.shareI64 > 0n) {
      addBalance(state, s.miner, s.shareI64);
      ledger.push({ account: s.miner, deltaI64: s.shareI64, reason: rewardReason });
    }
  }
  state.totalSupplyI64 += settlement.mintedI64;

  // 4. Transfers in body order.
  const transferResults: TransferResult[] = [];
  for (const t of body.transfers) {
    const last = state.nonces.get(t.from);
    let status: TransferResult['status'] = 'confirmed';
    let reason: TransferVoidReason | null = null;
    if (last !== undefined && t.nonce <= last) {
      status = 'voided';
      reason = 'nonce_not_increasing';
    } else if (balanceOf(state, t.from) < t.amountI64) {
      status = 'voided';
      reason = 'insufficient_balance';
      state.nonces.set(t.from, t.nonce);
    } else {
      addBalance(state, t.from, -t.amountI64);
      addBalance(state, t.to, t.amountI64);
      state.nonces.set(t.from, t.nonce);
      const txHash = t.txId.slice(0, 32);
      ledger.push({ account: t.from, deltaI64: -t.amountI64, reason: `transfer_out:${t.to}:${txHash}` });
      ledger.push({ account: t.to, deltaI64: t.amountI64, reason: `transfer_in:${t.from}:${txHash}` });
    }
    transferResults.push({
      amount_i64: t.amountI64,
      from: t.from,
      nonce: t.nonce.toString(),
      reason,
      status,
      to: t.to,
      tx_id: t.txId,
    });
  }

  const leaves = {
    attestations: attestationResults.map((r) => canonicalJson(r as unknown as JsonObject)),
    transfers: transferResults.map((r) => canonicalJson(r as unknown as JsonObject)),
    rewards: rewards.map((r) => canonicalJson(r as unknown as JsonObject)),
    state: stateLeaves(state),
  };
  const roots = {
    attestations: merkleRootOfTexts(leaves.attestations, hash),
    transfers: merkleRootOfTexts(leaves.transfers, hash),
    rewards: merkleRootOfTexts(leaves.rewards, hash),
    state: merkleRootOfTexts(leaves.state, hash),
  };
  const header: EpochHeader = {
    chain_id: params.chainId,
    epoch: E,
    prev_hash: params.prevHash,
    attestations_root: roots.attestations,
    transfers_root: roots.transfers,
    rewards_root: roots.rewards,
    state_root: roots.state,
  };
  return {
    state,
    attestationResults,
    transferResults,
    rewards,
    mintedI64: settlement.mintedI64,
    leaves,
    roots,
    header,
    epochHash: headerHash(header, hash),
    ledger,
  };
}

/** B.6.6: the genesis allocation rows, written once with the first epoch. */
export function genesisLedger(allocations: readonly { address: string; amount_i64: number }[]): LedgerRow[] {
  return allocations.map((a) => ({ account: a.address, deltaI64: BigInt(a.amount_i64), reason: 'genesis_allocation' }));
}
