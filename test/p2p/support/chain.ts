/**
 * A small real chain for the p2p tests: a genesis with validators and one funded account, and a
 * per-node ledger that validates and re-executes bodies with the real protocol code (validateBody,
 * executeEpoch), so finality and sync run against genuine headers and certificates.
 */
import { canonicalJson, type JsonObject } from '../../../src-main/protocol/canonical-json.js';
import { validateBody } from '../../../src-main/protocol/epoch/body.js';
import { executeEpoch } from '../../../src-main/protocol/epoch/execute.js';
import { genesisState, type ChainState } from '../../../src-main/protocol/epoch/state.js';
import { genesisHash, quorum, type Genesis } from '../../../src-main/protocol/genesis.js';
import { addressFromPublicKey, keyPairFromSeed } from '../../../src-main/protocol/keys.js';
import { bytesToHex } from '../../../src-main/protocol/bytes.js';
import { proposalDue } from '../../../src-main/protocol/chain-time.js';
import { signTransfer } from '../../../src-main/protocol/transfer.js';
import type { Certificate } from '../../../src-main/protocol/epoch/finality.js';
import type { ExecuteResult } from '../../../src-main/node/chain/finality/index.js';
import type { ViewTiming } from '../../../src-main/node/chain/finality/index.js';

export function seedOf(n: number): Uint8Array {
  return new Uint8Array(32).fill(n);
}

export const SENDER_SEED = seedOf(200);
export const SENDER = addressFromPublicKey(keyPairFromSeed(SENDER_SEED).publicKey);
export const RECIPIENT = addressFromPublicKey(keyPairFromSeed(seedOf(201)).publicKey);

export function makeGenesis(validatorSeeds: Uint8Array[], firstEpoch = 8): Genesis {
  return {
    chain_id: 'rustchain-p2p-test',
    protocol_version: 1,
    genesis_time: 1_700_000_000,
    slot_seconds: 10,
    epoch_slots: 100,
    grace_seconds: 10,
    view_timeout_seconds: 5,
    first_epoch: firstEpoch,
    epoch_pot_i64: 1_500_000,
    validators: validatorSeeds.map((s, i) => ({
      public_key: bytesToHex(keyPairFromSeed(s).publicKey),
      name: `v${i}`,
    })),
    allocations: [{ address: SENDER, amount_i64: 50_000_000 }],
  };
}

export function timingOf(g: Genesis) {
  const chainTiming = {
    genesisTime: g.genesis_time,
    slotSeconds: g.slot_seconds,
    epochSlots: g.epoch_slots,
    graceSeconds: g.grace_seconds,
  };
  return (epoch: number): ViewTiming => ({
    proposalDue: proposalDue(epoch, chainTiming),
    viewTimeoutSeconds: g.view_timeout_seconds,
  });
}

export function genesisFacts(g: Genesis) {
  return {
    chainId: g.chain_id,
    genesisHash: genesisHash(g),
    validators: g.validators.map((v) => v.public_key),
    quorum: quorum(g.validators.length),
  };
}

/** A body transfer object (B.4) from the funded account. */
export function transferObject(g: Genesis, nonce: bigint, amountMicro = 1_000_000n): JsonObject {
  const t = signTransfer({
    seed: SENDER_SEED,
    to: RECIPIENT,
    amountMicro,
    memo: '',
    nonce,
    chainId: g.chain_id,
  });
  return { message: t.message, public_key: t.publicKey, signature: t.signature };
}

export function emptyBody(epoch: number): JsonObject {
  return { epoch, attestations: [], transfers: [] };
}

/** One node's committed chain: state, tip and the stored (certificate, body) pairs. */
export class Ledger {
  state: ChainState;
  tipEpoch: number;
  tipHash: string;
  readonly committed = new Map<number, { certificate: Certificate; body: JsonObject }>();
  private readonly committedTxIds = new Set<string>();

  constructor(readonly genesis: Genesis) {
    this.state = genesisState(genesis);
    this.tipEpoch = genesis.first_epoch - 1;
    this.tipHash = genesisHash(genesis);
  }

  execute(epoch: number, body: JsonObject) {
    const check = validateBody(body, {
      chainId: this.genesis.chain_id,
      epoch,
      epochSlots: this.genesis.epoch_slots,
      state: this.state,
      isCommittedTxId: (id) => this.committedTxIds.has(id),
    });
    if (!check.ok) return { ok: false as const, reason: check.rule };
    if (epoch !== this.tipEpoch + 1) return { ok: false as const, reason: 'not_next_epoch' };
    const execution = executeEpoch(this.state, check.body, {
      chainId: this.genesis.chain_id,
      epoch,
      prevHash: this.tipHash,
      epochPotI64: BigInt(this.genesis.epoch_pot_i64),
      epochSlots: this.genesis.epoch_slots,
    });
    return { ok: true as const, execution, checked: check.body };
  }

  executeAndCheck(epoch: number, body: JsonObject): ExecuteResult {
    const r = this.execute(epoch, body);
    return r.ok ? { ok: true, header: { ...r.execution.header } as JsonObject } : r;
  }

  /** Applies a committed pair after re-executing it; throws when it does not reproduce the header. */
  apply(certificate: Certificate, body: JsonObject): void {
    const r = this.execute(certificate.epoch, body);
    if (!r.ok) throw new Error(`body rejected: ${r.reason}`);
    if (canonicalJson({ ...r.execution.header } as JsonObject) !== canonicalJson(certificate.header)) {
      throw new Error('re-execution does not reproduce the certified header');
    }
    this.state = r.execution.state;
    for (const t of r.checked.transfers) this.committedTxIds.add(t.txId);
    this.tipEpoch = certificate.epoch;
    this.tipHash = certificate.epoch_hash;
    this.committed.set(certificate.epoch, { certificate, body });
  }
}
