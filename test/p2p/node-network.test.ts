/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are untyped JSON */
/**
 * Stage 2 with real `rustchain node` processes on loopback: full nodes that follow a single validator
 * over gossip (B.8) — pooled transfers relayed along a line of peers, committed epochs reaching every
 * node through sync (B.7.5, B.8.8) — and four validators finalising together (B.7).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { actor, transferBody } from '../node/support/actors.js';
import {
  cli,
  createGenesis,
  getJson,
  postText,
  startNode,
  tempDir,
  type RunningNode,
} from '../node/support/node-process.js';

const running: RunningNode[] = [];

afterEach(async () => {
  for (const n of running.splice(0).reverse()) await n.stop();
});

async function start(dataDir: string, args: string[]): Promise<{ node: RunningNode; p2p: string }> {
  const node = await startNode(dataDir, args);
  running.push(node);
  const ready = node.events.find((e) => e.event === 'ready') as { p2p: string | null };
  expect(ready.p2p).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
  return { node, p2p: ready.p2p as string };
}

/** Polls until `check` returns a value (bounded: 300 × 100 ms). */
async function eventually<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const v = await check();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function epochHashes(node: RunningNode): Promise<Map<number, string>> {
  const r = await getJson(`${node.url}/api/epochs?limit=100`);
  expect(r.status).toBe(200);
  return new Map((r.body.epochs as any[]).map((e) => [e.epoch as number, e.epoch_hash as string]));
}

/** Waits until every node has committed `epoch`, then checks that all hashes up to it agree. */
async function expectSameChain(nodes: RunningNode[], epoch: number, firstEpoch: number): Promise<void> {
  const all = await eventually(`epoch ${epoch} on every node`, async () => {
    const maps = await Promise.all(nodes.map(epochHashes));
    return maps.every((m) => m.has(epoch)) ? maps : undefined;
  });
  for (let e = firstEpoch; e <= epoch; e++) {
    const hashes = new Set(all.map((m) => m.get(e)));
    expect(hashes.size, `epoch ${e}`).toBe(1);
    expect([...hashes][0]).toMatch(/^[0-9a-f]{64}$/);
  }
}

const sender = actor(41);
const recipient = actor(42);

describe('full nodes following a single validator over gossip', () => {
  it('relays a transfer along a line of peers and commits identical epochs on all three nodes', async () => {
    const dir = tempDir('rc-p2p-line-');
    const chainId = 'rustchain-devnet-p2pline';
    const g = createGenesis({
      dir,
      chainId,
      allocs: { [sender.address]: 50_000_000 },
      genesisTime: Math.floor(Date.now() / 1000) - 5,
      slotSeconds: 1,
      epochSlots: 4,
      graceSeconds: 1,
    });
    const common = ['--genesis', g.genesis, '--p2p-port', '0'];
    const validator = await start(`${dir}/v`, [...common, '--validator-key', g.validatorKey]);
    const full1 = await start(`${dir}/f1`, [...common, '--peer', validator.p2p]);
    const full2 = await start(`${dir}/f2`, [...common, '--peer', full1.p2p]);
    await full2.node.waitEvent((e) => e.event === 'peer_connected');
    const peers = await getJson(`${full1.node.url}/api/peers`);
    expect(peers.body.peers).toHaveLength(2);
    const health = await getJson(`${full1.node.url}/health`);
    expect(Number.isInteger(health.body.peer_clock_offset_s)).toBe(true);
    expect(health.body.clock_skew).toBe(false);

    // Submitted just after a commit, so relay (milliseconds) clearly wins over the next epoch (4 s).
    const last = Math.max(-1, ...(await epochHashes(validator.node)).keys());
    await validator.node.waitEvent((e) => e.event === 'epoch_committed' && (e.epoch as number) > last);
    const t = transferBody(sender, recipient.address, 1_000_000n, 1n, chainId);
    const sent = await postText(`${validator.node.url}/wallet/transfer/signed`, t.text);
    expect(sent.status).toBe(200);

    // The transfer reaches the end of the line by relay (validator → full1 → full2)…
    const row = await eventually('the transfer in the last pool', async () => {
      const r = await getJson(`${full2.node.url}/pending/list?status=all`);
      return (r.body.pending as any[]).find((p) => p.tx_hash === t.txHash);
    });
    expect(row.from_miner).toBe(sender.address);

    // …and is confirmed there by the synced epoch that the validator committed.
    const confirmed = await eventually('the transfer confirmed on the last node', async () => {
      const r = await getJson(`${full2.node.url}/pending/list?status=confirmed`);
      return (r.body.pending as any[]).find((p) => p.tx_hash === t.txHash);
    });
    expect(confirmed.status).toBe('confirmed');
    const tip = Math.max(...(await epochHashes(validator.node)).keys());
    await expectSameChain([validator.node, full1.node, full2.node], tip, g.result.first_epoch as number);
    const balance = await getJson(`${full2.node.url}/wallet/balance?miner_id=${recipient.address}`);
    expect(balance.body.amount_i64).toBe(1_000_000);
  }, 90_000);

  it('a full node started after ≥ 5 committed epochs syncs them with identical hashes', async () => {
    const dir = tempDir('rc-p2p-late-');
    const g = createGenesis({
      dir,
      chainId: 'rustchain-devnet-p2plate',
      genesisTime: Math.floor(Date.now() / 1000) - 3,
      slotSeconds: 1,
      epochSlots: 1,
      graceSeconds: 1,
    });
    const validator = await start(`${dir}/v`, [
      '--genesis',
      g.genesis,
      '--validator-key',
      g.validatorKey,
      '--p2p-port',
      '0',
    ]);
    await eventually('five committed epochs', async () =>
      (await epochHashes(validator.node)).size >= 5 ? true : undefined,
    );
    const late = await start(`${dir}/late`, ['--genesis', g.genesis, '--peer', validator.p2p, '--p2p-port', '0']);
    const target = Math.max(...(await epochHashes(validator.node)).keys());
    const first = g.result.first_epoch as number;
    expect(target - first + 1).toBeGreaterThanOrEqual(5);
    await expectSameChain([validator.node, late.node], target, first);
    const ready = await getJson(`${late.node.url}/ready`);
    expect(ready.status).toBe(200);
  }, 90_000);
});

describe('nodes without P2P flags', () => {
  it('open no P2P port, and refuse a multi-validator genesis (exit 7)', async () => {
    const dir = tempDir('rc-p2p-none-');
    const g = createGenesis({ dir, chainId: 'rustchain-devnet-p2pnone', slotSeconds: 1, epochSlots: 2 });
    const node = await startNode(`${dir}/a`, ['--genesis', g.genesis, '--validator-key', g.validatorKey]);
    running.push(node);
    expect(node.events.find((e) => e.event === 'ready')?.p2p).toBeNull();
    expect((await getJson(`${node.url}/api/peers`)).body.peers).toEqual([]);

    const made = cli([
      'genesis',
      'create',
      '--out',
      `${dir}/two.json`,
      '--chain-id',
      'rustchain-devnet-p2ptwo',
      '--validator-key',
      `${dir}/k1.json`,
      '--validator-key',
      `${dir}/k2.json`,
    ]);
    expect(made.status, made.stderr).toBe(0);
    await expect(startNode(`${dir}/b`, ['--genesis', `${dir}/two.json`])).rejects.toThrow(/exited with 7/);
  }, 60_000);
});

describe('multi-validator finality between node processes', () => {
  it('four validators and a full node commit identical epochs; three still commit with one stopped, which rejoins', async () => {
    const dir = tempDir('rc-p2p-four-');
    const keys = [0, 1, 2, 3].map((i) => `${dir}/validator-${i}.json`);
    const made = cli([
      'genesis',
      'create',
      '--out',
      `${dir}/genesis.json`,
      '--chain-id',
      'rustchain-devnet-p2pfour',
      ...keys.flatMap((k) => ['--validator-key', k]),
      '--genesis-time',
      String(Math.floor(Date.now() / 1000)),
      '--slot-seconds',
      '1',
      '--epoch-slots',
      '2',
      '--grace-seconds',
      '1',
      '--view-timeout-seconds',
      '2',
      '--json',
    ]);
    expect(made.status, made.stderr).toBe(0);
    const first = (JSON.parse(made.stdout) as { first_epoch: number }).first_epoch;
    const validators: { node: RunningNode; p2p: string }[] = [];
    for (const [i, key] of keys.entries()) {
      const peers = validators.flatMap((v) => ['--peer', v.p2p]);
      validators.push(
        await start(`${dir}/v${i}`, [
          '--genesis',
          `${dir}/genesis.json`,
          '--validator-key',
          key,
          '--p2p-port',
          '0',
          ...peers,
        ]),
      );
    }
    // A full node (key not in the genesis) follows the votes and commits of the validators.
    const follower = await start(`${dir}/full`, [
      '--genesis',
      `${dir}/genesis.json`,
      '--p2p-port',
      '0',
      '--peer',
      validators[0]!.p2p,
    ]);
    const nodes = validators.map((v) => v.node);
    await expectSameChain([...nodes, follower.node], first + 2, first);
    const cert = await getJson(`${nodes[0]!.url}/api/epoch/${first + 1}`);
    expect(cert.status).toBe(200);
    // A real quorum certificate: at least q = 3 distinct validators precommitted.
    const signers = new Set((cert.body.certificate.precommits as any[]).map((v) => v.validator as string));
    expect(signers.size).toBeGreaterThanOrEqual(3);

    // One of four stopped: q = 3 of the remaining three still finalise (its proposer views time out).
    const stopped = validators.pop()!;
    expect(await stopped.node.stop()).toBe(0);
    running.splice(running.indexOf(stopped.node), 1);
    const tip = Math.max(...(await epochHashes(nodes[0]!)).keys());
    await expectSameChain(nodes.slice(0, 3), tip + 3, first);

    // Restarted on its data directory, the fourth validator catches up by sync and finalises again.
    const again = await start(stopped.node.dataDir, [
      '--genesis',
      `${dir}/genesis.json`,
      '--validator-key',
      keys[3]!,
      '--p2p-port',
      '0',
      ...validators.flatMap((v) => ['--peer', v.p2p]),
    ]);
    const now = Math.max(...(await epochHashes(nodes[0]!)).keys());
    await expectSameChain([...nodes.slice(0, 3), again.node], now + 2, first);
  }, 120_000);
});
