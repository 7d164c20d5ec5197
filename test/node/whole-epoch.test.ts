/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are untyped JSON */
/**
 * A whole epoch on a short-slot devnet: five miners with different hardware attest with passing
 * fingerprints from vectors/fingerprint-validation.json (re-signed with test keys whose addresses are the
 * miner ids), a transfer is sent and an overspend refused; at settlement the shares follow B.5 exactly
 * and sum to the pot, and the transfer is confirmed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadVectorsText } from '../support/vectors.js';
import { actor, fingerprintTemplates, signedAttestation, transferBody } from './support/actors.js';
import { createGenesis, getJson, postText, startNode, tempDir, type RunningNode } from './support/node-process.js';

const CHAIN = 'rustchain-devnet-epochtest';
const POT = 1_500_000n;
const sender = actor(0x41);
const recipient = actor(0x42);
const minerCases = [
  'x86_modern_real_hardware',
  'core2_duo_by_brand',
  'apple_m1',
  'powerpc_g4_genuine',
  'raspberry_pi_aarch64',
];
const miners = minerCases.map((_, i) => actor(0x51 + i));
const templates = fingerprintTemplates(loadVectorsText('fingerprint-validation'));

/** B.5 written out independently: floor shares, then +1 µRTC by largest remainder, ties by id. */
function expectedShares(weights: Map<string, bigint>, pot: bigint): Map<string, bigint> {
  const W = [...weights.values()].reduce((a, b) => a + b, 0n);
  const rows = [...weights].map(([m, w]) => ({ m, share: (pot * w) / W, rem: (pot * w) % W }));
  let R = pot - rows.reduce((a, r) => a + r.share, 0n);
  rows.sort((a, b) => (a.rem === b.rem ? (a.m < b.m ? -1 : 1) : a.rem > b.rem ? -1 : 1));
  for (const r of rows) {
    if (R === 0n) break;
    r.share++;
    R--;
  }
  return new Map(rows.map((r) => [r.m, r.share]));
}

let node: RunningNode;

beforeAll(async () => {
  const dir = tempDir();
  const now = Math.floor(Date.now() / 1000);
  const g = createGenesis({
    dir,
    chainId: CHAIN,
    allocs: { [sender.address]: 100_000_000 },
    genesisTime: now - 100,
    slotSeconds: 1,
    epochSlots: 8,
    graceSeconds: 1,
  });
  node = await startNode(`${dir}/data`, ['--genesis', g.genesis, '--validator-key', g.validatorKey]);
}, 30_000);

afterAll(async () => {
  expect(await node.stop()).toBe(0);
});

describe('a whole epoch', () => {
  it('settles attestations, rewards and transfers', async () => {
    // Start right after a commit, so the whole epoch is ahead of us.
    const before = (await getJson(`${node.url}/epoch`)).body.committed_epoch as number;
    await node.waitEvent((e) => e.event === 'epoch_committed' && (e.epoch as number) > before);

    const weights = new Map<string, bigint>();
    let epoch = -1;
    for (let i = 0; i < miners.length; i++) {
      const m = miners[i]!;
      const tpl = templates.get(minerCases[i]!)!;
      const ch = await postText(`${node.url}/attest/challenge`, JSON.stringify({ miner: m.address }));
      expect(ch.status).toBe(200);
      expect(ch.body.bound_miner).toBe(m.address);
      const r = await postText(`${node.url}/attest/submit`, signedAttestation(m, ch.body.nonce, tpl.attestation));
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.fingerprint_passed).toBe(true);
      expect(r.body.enrollment_candidate).toBe(true);
      expect(r.body.device_family).toBe(tpl.expected.device_family);
      expect(r.body.device_arch).toBe(tpl.expected.device_arch);
      weights.set(m.address, BigInt(tpl.expected.weight_units as number));
      if (epoch === -1) epoch = r.body.epoch;
      expect(r.body.epoch).toBe(epoch);
    }
    const ep = await getJson(`${node.url}/epoch`);
    expect(ep.body.enrolled_miners).toBe(5);

    const t = transferBody(sender, recipient.address, 1_000_000n, 1n, CHAIN, 'during epoch');
    const sent = await postText(`${node.url}/wallet/transfer/signed`, t.text);
    expect(sent.status).toBe(200);
    const over = transferBody(sender, recipient.address, 99_500_000n, 2n, CHAIN);
    const refused = await postText(`${node.url}/wallet/transfer/signed`, over.text);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('Insufficient available balance');
    expect((await getJson(`${node.url}/wallet/tx/${over.txHash}`)).status).toBe(404);

    const committed = await node.waitEvent((e) => e.event === 'epoch_committed' && e.epoch === epoch);
    expect(committed.attestations).toBe(5);

    const rewards = await getJson(`${node.url}/rewards/epoch/${epoch}`);
    const expected = expectedShares(weights, POT);
    const got = new Map<string, bigint>(rewards.body.rewards.map((x: any) => [x.miner_id, BigInt(x.share_i64)]));
    expect(got).toEqual(expected);
    expect([...got.values()].reduce((a, b) => a + b, 0n)).toBe(POT);
    const ids = rewards.body.rewards.map((x: any) => x.miner_id);
    expect(ids).toEqual([...ids].sort());

    for (const m of miners) {
      const b = await getJson(`${node.url}/wallet/balance?miner_id=${m.address}`);
      expect(BigInt(b.body.amount_i64)).toBe(expected.get(m.address));
    }
    const tx = await getJson(`${node.url}/wallet/tx/${t.txHash}`);
    expect(tx.body).toMatchObject({ status: 'confirmed', epoch, confirmations: 1 });
    const sb = await getJson(`${node.url}/wallet/balance?miner_id=${sender.address}`);
    expect(sb.body).toMatchObject({ amount_i64: 99_000_000, pending_out_i64: 0, available_i64: 99_000_000 });
    const rb = await getJson(`${node.url}/wallet/balance?miner_id=${recipient.address}`);
    expect(rb.body.amount_i64).toBe(1_000_000);

    const detail = await getJson(`${node.url}/api/epoch/${epoch}`);
    expect(detail.body.results.attestations).toHaveLength(5);
    expect(detail.body.results.transfers).toEqual([
      expect.objectContaining({ status: 'confirmed', tx_id: expect.stringMatching(new RegExp(`^${t.txHash}`)) }),
    ]);
    expect(detail.body.certificate.precommits).toHaveLength(1);
    const stats = await getJson(`${node.url}/api/stats`);
    expect(stats.body.total_miners).toBe(5);
    // Only this epoch had enrollments; empty epochs mint nothing (W = 0).
    expect(BigInt(stats.body.total_supply_i64)).toBe(100_000_000n + POT);

    const history = await getJson(`${node.url}/wallet/history?miner_id=${sender.address}`);
    expect(history.body.transactions[0]).toMatchObject({ type: 'transfer_out', tx_hash: t.txHash, epoch });
  }, 60_000);
});
