/**
 * The whole stage-2 stack on real sockets: four validator nodes, each a P2PNode (WebSocket gossip)
 * wired to a FinalityEngine and a real Ledger, plus a non-validator full node that joins late and
 * catches up by sync. This is the wiring the FullNode has to do, in miniature.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src-main/node/clock.js';
import { FinalityEngine, type Verdict } from '../../src-main/node/chain/finality/index.js';
import { P2PNode } from '../../src-main/node/p2p/index.js';
import type { JsonObject } from '../../src-main/protocol/canonical-json.js';
import type { Certificate } from '../../src-main/protocol/epoch/finality.js';
import type { Genesis } from '../../src-main/protocol/genesis.js';
import { emptyBody, makeGenesis, seedOf, timingOf } from './support/chain.js';
import { MemoryHost } from './support/memory-host.js';

/** MemoryHost whose finality inputs go to a real engine. */
class ValidatorHost extends MemoryHost {
  engine: FinalityEngine | null = null;

  override onProposal(p: JsonObject, b: JsonObject): Verdict {
    return this.engine?.handleProposal(p, b) ?? 'dropped';
  }

  override onVote(v: JsonObject): Verdict {
    return this.engine?.handleVote(v) ?? 'dropped';
  }

  override onCommit(c: JsonObject): Verdict {
    return this.engine?.handleCertificate(c) ?? 'dropped';
  }

  override applyCommitted(certificate: Certificate, body: JsonObject): boolean {
    super.applyCommitted(certificate, body);
    this.engine?.advance(this.tip());
    return true;
  }
}

const nodes: P2PNode[] = [];
const engines: FinalityEngine[] = [];

afterEach(async () => {
  for (const e of engines.splice(0)) e.stop();
  await Promise.all(nodes.splice(0).map((n) => n.stop()));
});

async function startValidator(genesis: Genesis, seed: Uint8Array | null, nodeSeedByte: number, peers: string[]) {
  const host = new ValidatorHost(genesis);
  const node = await P2PNode.start({
    host,
    nodeSeed: seedOf(nodeSeedByte),
    listenHost: '127.0.0.1',
    listenPort: 0,
    peers,
  });
  nodes.push(node);
  const engine = new FinalityEngine({
    chainId: host.chainId,
    validators: host.validators,
    quorum: host.quorum,
    seed,
    clock: systemClock,
    timingOf: timingOf(genesis),
    hooks: {
      buildBody: (epoch) => emptyBody(epoch),
      executeAndCheck: (epoch, body) => host.ledger.executeAndCheck(epoch, body),
      send: (out) => node.broadcast(out),
      persist: () => undefined,
      committed: (cert, body) => host.ledger.apply(cert, body),
      afterCommit: (cert) => node.announce('epoch', [cert.epoch_hash]),
      needEpoch: (epoch) => node.requestEpoch(epoch),
    },
  });
  engines.push(engine);
  host.engine = engine;
  return { host, node, engine };
}

async function waitFor(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('p2p + finality over WebSocket', () => {
  it('four validators commit by gossip; a late full node catches up by sync', async () => {
    const seeds = [1, 2, 3, 4].map(seedOf);
    const base = makeGenesis(seeds);
    // proposal_due(first_epoch) three seconds from now: time for the mesh to form first.
    const due = Math.floor(Date.now() / 1000) + 3;
    const genesis: Genesis = {
      ...base,
      genesis_time: due - (base.first_epoch + 1) * base.epoch_slots * base.slot_seconds - base.grace_seconds,
    };
    expect(timingOf(genesis)(genesis.first_epoch).proposalDue).toBe(due);

    const validators: Awaited<ReturnType<typeof startValidator>>[] = [];
    for (let i = 0; i < 4; i++) {
      const peers = validators.map((v) => v.node.url);
      validators.push(await startValidator(genesis, seeds[i] as Uint8Array, 90 + i, peers));
    }
    await waitFor(() => validators.every((v) => v.node.peers().length === 3), 'the full mesh');
    for (const v of validators) v.engine.advance(v.host.tip());

    await waitFor(() => validators.every((v) => v.host.ledger.tipEpoch === genesis.first_epoch), 'the commit');
    const hashes = new Set(validators.map((v) => v.host.ledger.tipHash));
    expect(hashes.size).toBe(1);
    const cert = validators[0]?.host.ledger.committed.get(genesis.first_epoch)?.certificate;
    expect(cert?.precommits.length).toBeGreaterThanOrEqual(3);

    // A full node (no validator key) joins afterwards and syncs the committed epoch.
    const full = await startValidator(genesis, null, 99, [validators[0]?.node.url as string]);
    full.engine.advance(full.host.tip());
    await waitFor(() => full.host.ledger.tipEpoch === genesis.first_epoch, 'the full node to sync');
    expect(full.host.ledger.tipHash).toBe(validators[0]?.host.ledger.tipHash);
  });
});
