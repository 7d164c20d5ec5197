/**
 * The explorer's reads against a real dev node (child process): a test key attests a passing fingerprint
 * from the spec's vectors, and after the epoch settles the explorer views show its epoch, reward and miner.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandLauncher, EmbeddedNode } from '../../src-main/app/embedded-node.js';
import { ExplorerReader } from '../../src-main/app/explorer-binding.js';
import { NodeClient } from '../../src-main/client/node-client.js';
import { actor, fingerprintTemplates, signedAttestation } from '../node/support/actors.js';
import { loadVectorsText } from '../support/vectors.js';

const CLI = resolve(import.meta.dirname, '..', '..', 'bin', 'rustchain.js');
let home: string;
let node: EmbeddedNode;
let reader: ExplorerReader;
let url: string;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'rustchain-explorer-'));
  node = new EmbeddedNode({
    launch: commandLauncher([process.execPath, CLI]),
    dataDir: join(home, 'node'),
    dev: { slotSeconds: 1, epochSlots: 3 },
    env: { RUSTCHAIN_HOME: home },
  });
  url = await node.start();
  reader = new ExplorerReader(new NodeClient(url));
}, 60_000);

afterAll(async () => {
  await node?.stop();
  rmSync(home, { recursive: true, force: true });
});

function nextCommit(): Promise<number> {
  return new Promise((done) => {
    const on = (e: { event: string; epoch?: unknown }) => {
      if (e.event !== 'epoch_committed') return;
      node.off('event', on);
      done(Number(e.epoch));
    };
    node.on('event', on);
  });
}

describe('ExplorerReader against a dev node', () => {
  it('shows a rewarded miner, its epoch and the network cards', async () => {
    const tpl = fingerprintTemplates(loadVectorsText('fingerprint-validation')).get('x86_modern_real_hardware');
    const miner = actor(7);
    const challenge = (await (
      await fetch(`${url}/attest/challenge`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ miner: miner.address }),
      })
    ).json()) as { nonce: string };
    const submitted = await fetch(`${url}/attest/submit`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: signedAttestation(miner, challenge.nonce, tpl!.attestation),
    });
    expect(submitted.status, await submitted.clone().text()).toBe(200);

    // The attestation lands in the epoch that settles next or the one after; wait for a rewarded one.
    let rewarded = null;
    for (let i = 0; i < 6 && !rewarded; i++) {
      await nextCommit();
      const m = await reader.miner(miner.address).catch(() => null);
      if (m?.rewards && m.rewards.length > 0) rewarded = m;
    }
    expect(rewarded).not.toBeNull();
    const reward = rewarded!.rewards![0]!;
    expect(BigInt(reward.shareI64)).toBeGreaterThan(0n);
    expect(rewarded!.fingerprintPassed).toBe(true);

    const epoch = await reader.epoch(reward.epoch);
    expect(epoch.rewards.find((r) => r.miner === miner.address)?.shareI64).toBe(reward.shareI64);
    expect(epoch.attestations.some((a) => a.miner === miner.address)).toBe(true);
    expect(epoch.epochHash).toMatch(/^[0-9a-f]{64}$/);

    expect(await reader.search(String(reward.epoch))).toEqual({ kind: 'epoch', target: String(reward.epoch) });
    expect(await reader.search(miner.address)).toEqual({ kind: 'miner', target: miner.address });

    await nextCommit();
    const page = await reader.epochs(2, null);
    expect(page.epochs).toHaveLength(2);
    const older = await reader.epochs(2, page.nextBefore);
    expect(page.epochs[0]!.epoch).toBe(page.epochs[1]!.epoch + 1);
    expect(page.nextBefore).toBe(page.epochs[1]!.epoch);
    // Keyset: the next page holds only older epochs (none when the chain is this young).
    for (const e of older.epochs) expect(e.epoch).toBeLessThan(page.epochs[1]!.epoch);

    const net = await reader.network();
    expect(net.perEpoch.find((p) => p.epoch === reward.epoch)?.miners).toBe(1);
    expect(BigInt(net.supplyI64 ?? '0')).toBeGreaterThan(0n);
  }, 90_000);
});
