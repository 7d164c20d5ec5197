/**
 * Gossip over real WebSocket servers on 127.0.0.1 (B.8): handshake and its close codes, relay along
 * a line of five nodes, frame limits, bans, and sync of 30 certified epochs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { advertisedListen, CLOSE_CODES, isCaughtUp, P2PNode } from '../../src-main/node/p2p/index.js';
import { encodeFrame, frameId } from '../../src-main/protocol/gossip/frames.js';
import { signHello, signHelloAck, type Hello } from '../../src-main/protocol/gossip/hello.js';
import { signObject, publicKeyHexFromSeed } from '../../src-main/protocol/signed-object.js';
import { makeCertificate, signVote } from '../../src-main/protocol/epoch/finality.js';
import { parseJson, isJsonObject, type JsonObject } from '../../src-main/protocol/canonical-json.js';
import { emptyBody, genesisFacts, makeGenesis, seedOf } from './support/chain.js';
import { MemoryHost, testObject } from './support/memory-host.js';

const VALIDATOR_SEEDS = [1, 2, 3, 4].map(seedOf);
const genesis = makeGenesis(VALIDATOR_SEEDS);
const facts = genesisFacts(genesis);

const running: P2PNode[] = [];
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await Promise.all(running.splice(0).map((n) => n.stop()));
});

async function startNode(
  seedByte: number,
  opts: { peers?: string[]; host?: MemoryHost; events?: string[]; handshakeTimeoutMs?: number } = {},
) {
  const host = opts.host ?? new MemoryHost(genesis);
  const node = await P2PNode.start({
    host,
    nodeSeed: seedOf(seedByte),
    listenHost: '127.0.0.1',
    listenPort: 0,
    peers: opts.peers ?? [],
    handshakeTimeoutMs: opts.handshakeTimeoutMs,
    log: (event, detail) => opts.events?.push(`${event}:${JSON.stringify(detail)}`),
  });
  running.push(node);
  return { node, host };
}

/** Polls a condition (bounded): the network is asynchronous, so there is no single event to await. */
async function waitFor(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A hand-driven peer: raw frames in and out, to send exactly what a test needs. */
class RawPeer {
  readonly ws: WebSocket;
  readonly frames: { type: string; payload: JsonObject; id: string }[] = [];
  readonly closed: Promise<number>;
  readonly opened: Promise<void>;

  constructor(url: string) {
    this.ws = new WebSocket(url);
    sockets.push(this.ws);
    this.ws.on('error', () => undefined);
    this.opened = new Promise((r) => this.ws.once('open', () => r()));
    this.closed = new Promise((r) => this.ws.once('close', (code) => r(code)));
    this.ws.on('message', (data) => {
      const text = data.toString();
      const f = parseJson(text);
      if (isJsonObject(f) && isJsonObject(f.payload)) {
        this.frames.push({ type: f.type as string, payload: f.payload, id: f.id as string });
      }
    });
  }

  send(type: string, payload: JsonObject): void {
    this.ws.send(encodeFrame(type, payload).text);
  }

  async serverHello(): Promise<Hello> {
    await waitFor(() => this.frames.some((f) => f.type === 'HELLO'), 'the server HELLO');
    return this.frames.find((f) => f.type === 'HELLO')?.payload as Hello;
  }

  /** Completes the handshake as node `seedByte`. */
  async handshake(seedByte: number, overrides: Partial<Record<string, unknown>> = {}): Promise<void> {
    await this.opened;
    const seed = seedOf(seedByte);
    const hello = signHello(
      {
        chainId: facts.chainId,
        genesisHash: facts.genesisHash,
        listen: null,
        tipEpoch: genesis.first_epoch - 1,
        timestamp: Math.floor(Date.now() / 1000),
        nonce: 'ab'.repeat(16),
        ...overrides,
      },
      seed,
    );
    this.send('HELLO', hello);
    const server = await this.serverHello();
    this.send(
      'HELLO_ACK',
      signHelloAck({ chainId: facts.chainId, peerNodeId: server.node_id, peerNonce: server.nonce }, seed),
    );
  }
}

describe('p2p: handshake (B.8.3)', () => {
  it('two nodes connect, exchange HELLO/HELLO_ACK and know each other', async () => {
    const b = await startNode(21);
    const a = await startNode(20, { peers: [b.node.url] });
    await waitFor(() => a.node.peers().length === 1 && b.node.peers().length === 1, 'both handshakes');
    expect(a.node.peers()[0]?.node_id).toBe(b.node.nodeId);
    expect(b.node.peers()[0]?.node_id).toBe(a.node.nodeId);
    expect(a.node.peers()[0]?.direction).toBe('outbound');
    expect(b.node.peers()[0]?.direction).toBe('inbound');
    expect(a.node.highestPeerTip()).toBe(genesis.first_epoch - 1);
    expect(b.node.listen).toBeNull(); // loopback bind without --p2p-advertise
  });

  it('refuses a wrong chain with 4001', async () => {
    const b = await startNode(21);
    const raw = new RawPeer(b.node.url);
    await raw.handshake(30, { chainId: 'another-chain' });
    expect(await raw.closed).toBe(CLOSE_CODES.wrongChain);
  });

  it('refuses another protocol version with 4002', async () => {
    const b = await startNode(21);
    const raw = new RawPeer(b.node.url);
    await raw.opened;
    const seed = seedOf(30);
    const hello = signObject(
      {
        type: 'hello',
        chain_id: facts.chainId,
        genesis_hash: facts.genesisHash,
        protocol_version: 2,
        node_id: publicKeyHexFromSeed(seed),
        listen: null,
        tip_epoch: 0,
        timestamp: Math.floor(Date.now() / 1000),
        nonce: 'cd'.repeat(16),
      },
      seed,
    );
    raw.send('HELLO', hello);
    expect(await raw.closed).toBe(CLOSE_CODES.unsupportedVersion);
  });

  it('refuses a skewed timestamp, a bad signature and a wrong HELLO_ACK with 4003', async () => {
    const b = await startNode(21);
    const skewed = new RawPeer(b.node.url);
    await skewed.handshake(30, { timestamp: Math.floor(Date.now() / 1000) - 120 });
    expect(await skewed.closed).toBe(CLOSE_CODES.badHandshake);

    const forged = new RawPeer(b.node.url);
    await forged.opened;
    const hello = signHello(
      {
        chainId: facts.chainId,
        genesisHash: facts.genesisHash,
        listen: null,
        tipEpoch: 0,
        timestamp: Math.floor(Date.now() / 1000),
        nonce: 'ee'.repeat(16),
      },
      seedOf(31),
    );
    forged.send('HELLO', { ...hello, node_id: publicKeyHexFromSeed(seedOf(32)) });
    expect(await forged.closed).toBe(CLOSE_CODES.badHandshake);

    const badAck = new RawPeer(b.node.url);
    await badAck.opened;
    badAck.send(
      'HELLO',
      signHello(
        {
          chainId: facts.chainId,
          genesisHash: facts.genesisHash,
          listen: null,
          tipEpoch: 0,
          timestamp: Math.floor(Date.now() / 1000),
          nonce: 'ef'.repeat(16),
        },
        seedOf(33),
      ),
    );
    const server = await badAck.serverHello();
    badAck.send(
      'HELLO_ACK',
      signHelloAck({ chainId: facts.chainId, peerNodeId: server.node_id, peerNonce: '00'.repeat(16) }, seedOf(33)),
    );
    expect(await badAck.closed).toBe(CLOSE_CODES.badHandshake);

    const early = new RawPeer(b.node.url);
    await early.opened;
    early.send('INV', { kind: 'transfer', ids: [] });
    expect(await early.closed).toBe(CLOSE_CODES.badHandshake);
  });

  it('refuses its own node_id with 4004 and times out a silent peer with 4007', async () => {
    const b = await startNode(21, { handshakeTimeoutMs: 300 });
    const self = new RawPeer(b.node.url);
    await self.handshake(21);
    expect(await self.closed).toBe(CLOSE_CODES.banned);

    const silent = new RawPeer(b.node.url);
    expect(await silent.closed).toBe(CLOSE_CODES.handshakeTimeout);
  });
});

describe('p2p: connections (B.8.1)', () => {
  it('two nodes dialling each other keep exactly one connection and close the other with 4000', async () => {
    const events: string[] = [];
    const a = await startNode(80, { events });
    const b = await startNode(81, { events, peers: [a.node.url] });
    await waitFor(() => a.node.peers().length === 1, 'the first connection');
    a.node.connect(b.node.url); // a second connection between the same pair
    await waitFor(() => events.some((e) => e.startsWith('peer_closed:') && e.includes('"code":4000')), 'the 4000');
    // The survivor is the one dialled by the node with the smaller node_id, seen the same way by both.
    const [smaller, larger] = a.node.nodeId < b.node.nodeId ? [a.node, b.node] : [b.node, a.node];
    await waitFor(
      () =>
        smaller.peers().length === 1 &&
        larger.peers().length === 1 &&
        smaller.peers()[0]?.direction === 'outbound' &&
        larger.peers()[0]?.direction === 'inbound',
      'one connection, dialled by the smaller node_id',
    );
  });
});

describe('p2p: relay (B.8.5)', () => {
  it('relays an object along a line of 5 nodes; every node fetches it exactly once', async () => {
    // A line: node i dials node i + 1, so node 1 and node 5 share no connection.
    const lined: Awaited<ReturnType<typeof startNode>>[] = [];
    let nextUrl: string | null = null;
    for (let i = 4; i >= 0; i--) {
      const n: Awaited<ReturnType<typeof startNode>> = await startNode(60 + i, { peers: nextUrl ? [nextUrl] : [] });
      lined.unshift(n);
      nextUrl = n.node.url;
    }
    await waitFor(
      () => lined.every((n, i) => n.node.peers().length === (i === 0 || i === 4 ? 1 : 2)),
      'the line to connect',
    );
    const obj = testObject('relayed along the line');
    const first = lined[0] as (typeof lined)[number];
    first.host.pools.transfer.set(obj.id as string, obj);
    first.node.announce('transfer', [obj.id as string]);
    const last = lined[4] as (typeof lined)[number];
    await waitFor(() => last.host.pools.transfer.has(obj.id as string), 'the object at node 5');
    // Let any duplicate deliveries surface before counting.
    await waitFor(() => lined.every((n) => n.host.pools.transfer.has(obj.id as string)), 'all nodes');
    for (const n of lined.slice(1)) {
      expect(n.host.admissions.filter((a) => a.id === obj.id)).toHaveLength(1);
      expect(n.host.admissions[0]?.status).toBe('new');
    }
    expect(first.host.admissions).toHaveLength(0);
  });

  it('a pushed DATA with a forged object costs score; valid pushes are admitted', async () => {
    const b = await startNode(21);
    const raw = new RawPeer(b.node.url);
    await raw.handshake(30);
    await waitFor(() => b.node.peers().length === 1, 'handshake');
    raw.send('DATA', {
      re: null,
      kind: 'attestation',
      objects: [testObject('fine'), { data: 'x', id: 'f'.repeat(64) }],
    });
    await waitFor(() => b.host.admissions.length === 2, 'both admissions');
    expect(b.host.admissions.map((a) => a.status)).toEqual(['new', 'invalid']);
    await waitFor(() => b.node.peers()[0]?.score === 1 - 20, 'the score');
    raw.send('DATA', { re: 'a'.repeat(32), kind: 'attestation', objects: [] });
    await waitFor(() => b.node.peers()[0]?.score === 1 - 20 - 5, 'the unsolicited-DATA penalty');
  });
});

describe('p2p: limits and bans (B.8.6, B.8.7)', () => {
  it('an oversized VOTE frame closes with 4006 and costs 50 points', async () => {
    const events: string[] = [];
    const b = await startNode(21, { events });
    const raw = new RawPeer(b.node.url);
    await raw.handshake(30);
    await waitFor(() => b.node.peers().length === 1, 'handshake');
    raw.send('VOTE', { vote: { padding: 'x'.repeat(9 * 1024) } });
    expect(await raw.closed).toBe(CLOSE_CODES.badFrame);
    expect(events.some((e) => e.startsWith('bad_frame:') && e.includes('"score":-50'))).toBe(true);
  });

  it('a bad prefix closes with 4006', async () => {
    const b = await startNode(21);
    const raw = new RawPeer(b.node.url);
    await raw.handshake(30);
    await waitFor(() => b.node.peers().length === 1, 'handshake');
    raw.ws.send('{"payload":{},"type":"INV","id":"00000000000000000000000000000000"}');
    expect(await raw.closed).toBe(CLOSE_CODES.badFrame);
  });

  it('a flood of junk frames gets the peer banned by node_id and IP', async () => {
    const b = await startNode(21);
    const raw = new RawPeer(b.node.url);
    await raw.handshake(30);
    await waitFor(() => b.node.peers().length === 1, 'handshake');
    for (let i = 0; i < 12; i++) {
      // A correct prefix and id over a payload that is not canonical JSON: malformed, −10 each.
      const payload = `{"ids":[], "kind":"transfer","n":${i}}`;
      raw.ws.send(`{"type":"INV","id":"${frameId(payload)}","payload":${payload}}`);
    }
    expect(await raw.closed).toBe(CLOSE_CODES.banned);
    // Banned for an hour: the same address is turned away at once.
    const again = new RawPeer(b.node.url);
    expect(await again.closed).toBe(CLOSE_CODES.banned);
  });
});

describe('p2p: sync (B.8.8)', () => {
  it('a fresh node syncs 30 certified epochs from a peer', async () => {
    const source = new MemoryHost(genesis);
    const E0 = genesis.first_epoch;
    for (let e = E0; e < E0 + 30; e++) {
      const body = emptyBody(e);
      const r = source.ledger.executeAndCheck(e, body);
      if (!r.ok) throw new Error(r.reason);
      const hash = (await import('../../src-main/protocol/epoch/finality.js')).epochHashOf(r.header);
      const precommits = VALIDATOR_SEEDS.slice(0, 3).map((s) =>
        signVote({ chainId: facts.chainId, epoch: e, view: 0, phase: 'precommit', epochHash: hash }, s),
      );
      source.ledger.apply(
        makeCertificate({ chainId: facts.chainId, epoch: e, view: 0, header: r.header, precommits }),
        body,
      );
    }
    const s = await startNode(70, { host: source });
    const t = await startNode(71, { peers: [s.node.url] });
    await waitFor(() => t.host.ledger.tipEpoch === E0 + 29, 'the sync to finish');
    for (let e = E0; e < E0 + 30; e++) {
      expect(t.host.ledger.committed.get(e)?.certificate.epoch_hash).toBe(
        source.ledger.committed.get(e)?.certificate.epoch_hash,
      );
    }
    expect(t.host.ledger.tipHash).toBe(source.ledger.tipHash);
  });

  it('a certificate short of quorum is rejected and the sender penalised', async () => {
    const source = new MemoryHost(genesis);
    const e = genesis.first_epoch;
    const body = emptyBody(e);
    const r = source.ledger.executeAndCheck(e, body);
    if (!r.ok) throw new Error(r.reason);
    const { epochHashOf } = await import('../../src-main/protocol/epoch/finality.js');
    const precommits = VALIDATOR_SEEDS.slice(0, 2).map((s) =>
      signVote({ chainId: facts.chainId, epoch: e, view: 0, phase: 'precommit', epochHash: epochHashOf(r.header) }, s),
    );
    source.ledger.apply(
      makeCertificate({ chainId: facts.chainId, epoch: e, view: 0, header: r.header, precommits }),
      body,
    );
    const s = await startNode(72, { host: source });
    const t = await startNode(73, { peers: [s.node.url] });
    await waitFor(() => t.node.peers()[0]?.score === -20, 'the penalty');
    expect(t.host.ledger.tipEpoch).toBe(e - 1);
  });
});

describe('p2p: readiness and addresses (B.7.8, B.8.1)', () => {
  it('is caught up at the highest peer tip, or 30 s after start without peers', () => {
    expect(isCaughtUp(10, 12, 60_000)).toBe(false);
    expect(isCaughtUp(12, 12, 0)).toBe(true);
    expect(isCaughtUp(3, null, 29_999)).toBe(false);
    expect(isCaughtUp(3, null, 30_000)).toBe(true);
  });

  it('announces --p2p-advertise, else nothing on wildcard or loopback binds', () => {
    expect(advertisedListen('0.0.0.0', 9099)).toBeNull();
    expect(advertisedListen('127.0.0.1', 9099)).toBeNull();
    expect(advertisedListen('10.1.2.3', 9099)).toBe('ws://10.1.2.3:9099');
    expect(advertisedListen('0.0.0.0', 9099, 'ws://node.example:9099')).toBe('ws://node.example:9099');
  });
});
