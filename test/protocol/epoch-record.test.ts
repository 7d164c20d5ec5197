import { describe, expect, it } from 'vitest';
import { canonicalJson, parseJson, type JsonValue } from '../../src-main/protocol/canonical-json.js';
import { hexToBytes } from '../../src-main/protocol/bytes.js';
import { genesisHash, quorum, validateGenesis, type Genesis } from '../../src-main/protocol/genesis.js';
import { ergoR5, ergoSendRequest } from '../../src-main/protocol/epoch/anchor.js';
import { validateBody, type BodyRule } from '../../src-main/protocol/epoch/body.js';
import { executeEpoch, genesisLedger, type EpochExecution } from '../../src-main/protocol/epoch/execute.js';
import {
  makeCertificate,
  signProposal,
  signVote,
  verifyCertificate,
  verifyProposal,
  verifyVote,
} from '../../src-main/protocol/epoch/finality.js';
import { genesisState, stateRoot, type ChainState } from '../../src-main/protocol/epoch/state.js';
import { asObject, loadVectorsText } from '../support/vectors.js';

const obj = asObject;
const canon = (v: unknown) => canonicalJson(v as JsonValue);

// Bodies hold floats such as 731204.0: only the number-preserving parser keeps them.
const record = obj(parseJson(loadVectorsText('epoch-record')));
const genesisCheck = validateGenesis(obj(record.genesis));
if (!genesisCheck.ok) throw new Error(genesisCheck.problems.join('; '));
const genesis: Genesis = genesisCheck.genesis;
const validatorSeed = hexToBytes(String(record.validator_seed));
const validators = genesis.validators.map((v) => v.public_key);
const epochs = (record.epochs as JsonValue[]).map(obj);

interface Replayed {
  epoch: number;
  exec: EpochExecution;
  stateBefore: ChainState;
  committedBefore: Set<string>;
  prevHash: string;
}

/** Replays the whole chain once; the tests below look at the recorded steps. */
function replay(): Replayed[] {
  let state = genesisState(genesis);
  let prevHash = genesisHash(genesis);
  const committed = new Set<string>();
  const out: Replayed[] = [];
  for (const e of epochs) {
    const epoch = e.epoch as number;
    const check = validateBody(obj(e.body), {
      chainId: genesis.chain_id,
      epoch,
      epochSlots: genesis.epoch_slots,
      state,
      isCommittedTxId: (id) => committed.has(id),
    });
    if (!check.ok) throw new Error(`epoch ${epoch}: ${check.rule} ${check.message}`);
    const exec = executeEpoch(state, check.body, {
      chainId: genesis.chain_id,
      epoch,
      prevHash,
      epochPotI64: BigInt(genesis.epoch_pot_i64),
      epochSlots: genesis.epoch_slots,
    });
    out.push({ epoch, exec, stateBefore: state, committedBefore: new Set(committed), prevHash });
    for (const t of check.body.transfers) committed.add(t.txId);
    state = exec.state;
    prevHash = exec.epochHash;
  }
  return out;
}

const replayed = replay();

describe('epoch-record replay (B.2–B.6)', () => {
  it('covers epochs 357–388', () => {
    expect(replayed.map((r) => r.epoch)).toEqual(Array.from({ length: 32 }, (_, i) => 357 + i));
  });

  it.each(replayed.map((r, i) => [r.epoch, r, epochs[i]!] as const))('epoch %i', (_epoch, r, e) => {
    const results = obj(e.results);
    const leaves = obj(e.leaves);
    expect(r.exec.attestationResults.map(canon)).toEqual((results.attestations as JsonValue[]).map(canon));
    expect(r.exec.transferResults.map(canon)).toEqual((results.transfers as JsonValue[]).map(canon));
    expect(r.exec.rewards.map(canon)).toEqual((results.rewards as JsonValue[]).map(canon));
    expect(r.exec.leaves.attestations).toEqual(leaves.attestations);
    expect(r.exec.leaves.transfers).toEqual(leaves.transfers);
    expect(r.exec.leaves.rewards).toEqual(leaves.rewards);
    expect(r.exec.leaves.state).toEqual(leaves.state);
    expect(canon(r.exec.header)).toBe(e.header_canonical);
    expect(r.exec.epochHash).toBe(e.epoch_hash);
    expect(stateRoot(r.exec.state)).toBe(r.exec.header.state_root);
  });

  it('conserves value: Σ balances = total supply after every epoch', () => {
    for (const r of replayed) {
      let sum = 0n;
      for (const b of r.exec.state.balances.values()) {
        expect(b > 0n).toBe(true);
        sum += b;
      }
      expect(sum).toBe(r.exec.state.totalSupplyI64);
    }
  });

  it('ledger rows of 357: rewards with a share, both sides of each confirmed transfer', () => {
    const e357 = replayed[0]!.exec;
    const rewardRows = e357.ledger.filter((l) => l.reason === 'epoch_357_reward');
    expect(rewardRows.length).toBe(e357.rewards.filter((x) => x.share_i64 > 0n).length);
    const confirmed = e357.transferResults.filter((t) => t.status === 'confirmed').length;
    expect(e357.ledger.filter((l) => l.reason.startsWith('transfer_')).length).toBe(2 * confirmed);
    expect(e357.ledger.reduce((a, l) => a + l.deltaI64, 0n)).toBe(e357.mintedI64);
    expect(genesisLedger(genesis.allocations).map((l) => l.reason)).toEqual([
      'genesis_allocation',
      'genesis_allocation',
    ]);
  });
});

describe('finality objects (B.7.3, B.7.5)', () => {
  it.each(replayed.map((r, i) => [r.epoch, r, epochs[i]!] as const))('epoch %i', (_epoch, r, e) => {
    const base = { chainId: genesis.chain_id, epoch: r.epoch, view: 0 };
    const proposal = signProposal({ ...base, header: r.exec.header }, validatorSeed);
    expect(canon(proposal)).toBe(canon(e.proposal));
    expect(verifyProposal(proposal)).toBe(true);
    const prevote = signVote({ ...base, phase: 'prevote', epochHash: r.exec.epochHash }, validatorSeed);
    const precommit = signVote({ ...base, phase: 'precommit', epochHash: r.exec.epochHash }, validatorSeed);
    expect([prevote, precommit].map(canon)).toEqual((e.votes as JsonValue[]).map(canon));
    expect(verifyVote(precommit)).toBe(true);
    const cert = makeCertificate({ ...base, header: r.exec.header, precommits: [precommit] });
    expect(canon(cert)).toBe(canon(e.commit));
    const ctx = { chainId: genesis.chain_id, epoch: r.epoch, prevHash: r.prevHash, validators, quorum: quorum(1) };
    expect(verifyCertificate(obj(e.commit), ctx)).toEqual({ ok: true, signers: validators });
  });

  it('refuses certificates that break B.7.5', () => {
    const r = replayed[0]!;
    const cert = obj(epochs[0]!.commit);
    const ctx = { chainId: genesis.chain_id, epoch: 357, prevHash: r.prevHash, validators, quorum: 1 };
    const precommit = obj((cert.precommits as JsonValue[])[0]);
    const badSig = { ...precommit, signature: '0'.repeat(128) };
    expect(verifyCertificate({ ...cert, precommits: [badSig] }, ctx)).toEqual({ ok: false, reason: 'quorum' });
    expect(verifyCertificate(cert, { ...ctx, prevHash: 'f'.repeat(64) })).toEqual({
      ok: false,
      reason: 'header_mismatch',
    });
    expect(verifyCertificate({ ...cert, extra: 1 }, ctx)).toEqual({ ok: false, reason: 'certificate_keys' });
    expect(verifyCertificate({ ...cert, epoch_hash: 'a'.repeat(64) }, ctx)).toEqual({
      ok: false,
      reason: 'epoch_hash',
    });
    expect(verifyCertificate(cert, { ...ctx, validators: ['b'.repeat(64)] })).toEqual({ ok: false, reason: 'quorum' });
    const prevote = { ...precommit, phase: 'prevote' };
    expect(verifyCertificate({ ...cert, precommits: [prevote] }, ctx)).toEqual({ ok: false, reason: 'quorum' });
    expect(verifyVote({ ...precommit, extra: 1 })).toBe(false);
  });
});

describe('Ergo anchoring encodings (B.9)', () => {
  it('send request bodies', () => {
    for (let i = 0; i < replayed.length; i++) {
      const expected = obj(epochs[i]!.ergo_anchor_request);
      const req = ergoSendRequest({
        address: '<configured anchor address>',
        valueNanoerg: 1_000_000,
        feeNanoerg: 1_000_000,
        epoch: replayed[i]!.epoch,
        epochHash: replayed[i]!.exec.epochHash,
      });
      expect(canon(req)).toBe(canon(expected));
    }
  });

  it('R5 examples', () => {
    const examples = obj(record.ergo_r5_examples);
    expect(Object.keys(examples).length).toBeGreaterThan(0);
    for (const [epoch, hex] of Object.entries(examples)) expect(ergoR5(Number(epoch))).toBe(hex);
  });
});

describe('invalid bodies (B.3, B.4, B.6.1)', () => {
  const after357 = replayed[1]!;
  const ctx = {
    chainId: genesis.chain_id,
    epoch: 358,
    epochSlots: genesis.epoch_slots,
    state: after357.stateBefore,
    isCommittedTxId: (id: string) => after357.committedBefore.has(id),
  };
  const expectedRule: Record<string, BodyRule> = {
    body_extra_key: 'body_keys',
    body_epoch_float: 'body_epoch',
    transfer_without_chain_id: 'transfer_invalid',
    transfer_already_committed: 'transfer_committed',
    transfer_nonzero_fee: 'transfer_invalid',
    attestation_upper_case_hex: 'attestation_not_normal_form',
    attestation_signature_type_absent: 'attestation_not_normal_form',
    attestation_pipe_signed: 'attestation_not_normal_form',
    attestation_of_previous_epoch: 'attestation_wrong_epoch',
    attestation_upper_case_rtc_miner: 'attestation_request',
    two_attestations_of_one_miner: 'attestation_duplicate_miner',
    attestations_out_of_order: 'attestation_order',
  };
  const invalid = (record.invalid_bodies as JsonValue[]).map(obj);

  it('has the 12 cases', () => {
    expect(invalid.map((b) => String(b.name)).sort()).toEqual(Object.keys(expectedRule).sort());
  });

  it.each(invalid.map((b) => [String(b.name), b] as const))('%s is rejected', (name, b) => {
    expect(b.epoch).toBe(358);
    const check = validateBody(parseJson(String(b.body_text)), ctx);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.rule).toBe(expectedRule[name]);
  });

  it('the real epoch-358 body is accepted on the same state', () => {
    expect(validateBody(obj(epochs[1]!.body), ctx).ok).toBe(true);
  });

  it('a body with a pipe-style signature but canonical_json type fails the signature rule', () => {
    const body = obj(parseJson(canonicalJson(obj(epochs[0]!.body))));
    const first = obj((body.attestations as JsonValue[])[0]);
    first.signature = '1'.repeat(128);
    const check = validateBody(body, { ...ctx, epoch: 357, state: replayed[0]!.stateBefore });
    expect(check).toMatchObject({ ok: false, rule: 'attestation_signature', index: 0 });
  });
});
