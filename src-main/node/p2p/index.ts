/**
 * Gossip, sync and relay between nodes (PROTOCOL.md B.8), plugged into a node through `P2PHost`.
 *
 * The host contract (host.ts), in short:
 *   chainId, genesisHash, validators, quorum   — from the genesis (B.0, B.7.1)
 *   tip()                                      — last committed {epoch, hash}; HELLO/PONG tip_epoch
 *   poolIds(kind)                              — ids announced in the INV after each handshake (B.8.8)
 *   hasObject / getObjects / objectId          — answer GETs, skip known ids in INV
 *   admitObject(kind, obj, peer)               — the gossip admission rules of B.8.5; `new` → relayed
 *   committedRange(from, to)                   — (certificate, body) pairs for GET{kind:"epoch"}
 *   applyCommitted(cert, body)                 — re-execute and apply a synced epoch (certificate
 *                                                already verified against the tip, B.7.5)
 *   onProposal / onVote / onCommit             — finality inputs, normally FinalityEngine.handle*;
 *                                                the Verdict decides relay, seen-cache and score
 *
 * The node in turn calls, on its P2PNode:
 *   broadcast(out)            — every FinalityOutput of the FinalityEngine (`send` hook)
 *   announce(kind, ids)       — new pool objects admitted over HTTP, and 'epoch' [hash] after a commit
 *   requestEpoch(epoch)       — FinalityEngine `needEpoch` hook: fetch a pair through sync
 *   peers(), highestPeerTip(), clockSkewSeconds() — /api/peers, readiness (B.7.8), /health
 */

import { type Certificate } from '../../protocol/epoch/finality.js';
import { keyPairFromSeed, type Verifier } from '../../protocol/keys.js';
import { bytesToHex } from '../../protocol/bytes.js';
import type { FinalityOutput } from '../chain/finality/round.js';
import { verifyFast } from '../crypto/ed25519-fast.js';
import { Gossip } from './gossip.js';
import type { ObjectKind, P2PHost } from './host.js';
import { PeerManager, type PeerInfo } from './peer-manager.js';
import type { NodeIdentity, Peer } from './peer.js';
import { EpochSync } from './sync.js';
import { WsTransport, type Transport } from './transport.js';

export type { AdmitStatus, CommittedPair, ObjectKind, P2PHost } from './host.js';
export type { PeerInfo } from './peer-manager.js';
export type { Conn, Transport } from './transport.js';
export { WsTransport } from './transport.js';
export { CLOSE_CODES } from './limits.js';

export interface P2POptions {
  host: P2PHost;
  /** Seed of the node key (node_key.json, E.2); node_id is its public key. */
  nodeSeed: Uint8Array;
  /** `--p2p-host` (default: the API host) and `--p2p-port` (0 = any free port). */
  listenHost: string;
  listenPort: number;
  /** `--p2p-advertise`; without it `listen` is null on wildcard/loopback binds (B.8.1). */
  advertise?: string | null;
  /** `--peer` addresses, always retried. */
  peers?: readonly string[];
  transport?: Transport;
  verify?: Verifier;
  /** B.8.10 fixes 10 s; only tests change it. */
  handshakeTimeoutMs?: number;
  /** A synced epoch was applied (move finality on, print `epoch_committed`, …). */
  onEpochApplied?(certificate: Certificate): void;
  onPeerConnected?(info: { node_id: string }): void;
  log?(event: string, detail: Record<string, unknown>): void;
}

/** B.7.8: with no peer connected, a multi-validator or full node is ready this long after start. */
export const READY_WITHOUT_PEERS_MS = 30_000;
/** B.8.3: finality needs clocks within ±10 s; beyond that the node reports `clock_skew`. */
export const CLOCK_SKEW_LIMIT_S = 10;

/**
 * B.7.8 readiness of a multi-validator or full node: its tip is at least the highest `tip_epoch`
 * announced by its connected peers, or 30 s have passed since start without any peer.
 */
export function isCaughtUp(tipEpoch: number, highestPeerTip: number | null, msSinceStart: number): boolean {
  if (highestPeerTip === null) return msSinceStart >= READY_WITHOUT_PEERS_MS;
  return tipEpoch >= highestPeerTip;
}

const LOCAL_OR_WILDCARD = /^(0\.0\.0\.0|::|\[::\]|127\.\d+\.\d+\.\d+|::1|\[::1\]|localhost)$/;

export function advertisedListen(host: string, port: number, advertise?: string | null): string | null {
  if (advertise) return advertise;
  if (LOCAL_OR_WILDCARD.test(host)) return null;
  return `ws://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export class P2PNode {
  readonly nodeId: string;
  private readonly manager: PeerManager;
  private readonly gossip: Gossip;
  private readonly sync: EpochSync;
  private readonly identity: NodeIdentity;
  private bound: { host: string; port: number } | null = null;

  private constructor(private readonly o: P2POptions) {
    this.nodeId = bytesToHex(keyPairFromSeed(o.nodeSeed).publicKey);
    const verify = o.verify ?? verifyFast;
    this.identity = {
      seed: o.nodeSeed,
      nodeId: this.nodeId,
      chainId: o.host.chainId,
      genesisHash: o.host.genesisHash,
      listen: null,
    };
    const peers = () => this.manager.readyPeers();
    this.gossip = new Gossip({ host: o.host, peers, log: o.log });
    this.sync = new EpochSync({
      host: o.host,
      verify,
      peers,
      requestRange: (peer, from, to) => this.gossip.requestEpochs(peer, from, to),
      onApplied: (cert) => {
        this.gossip.announce('epoch', [cert.epoch_hash]);
        o.onEpochApplied?.(cert);
      },
      log: o.log,
    });
    this.gossip.sync = this.sync;
    this.manager = new PeerManager({
      transport: o.transport ?? new WsTransport(),
      identity: this.identity,
      tipEpoch: () => o.host.tip().epoch,
      staticPeers: o.peers ?? [],
      verify,
      handshakeTimeoutMs: o.handshakeTimeoutMs,
      onPeerReady: (peer) => {
        this.gossip.onPeerReady(peer);
        const skew = this.manager.medianClockOffset();
        if (skew !== null && Math.abs(skew) > CLOCK_SKEW_LIMIT_S) o.log?.('clock_skew', { median_offset_s: skew });
        o.onPeerConnected?.({ node_id: peer.nodeId as string });
      },
      onPeerFrame: (peer, type, id, payload, text) => this.gossip.onFrame(peer, type, id, payload, text),
      onPeerClosed: (peer) => this.gossip.onPeerClosed(peer),
      isSeenFlooded: (id) => this.gossip.seenFlooded.has(id),
      log: o.log,
    });
  }

  /** Binds the listener, then starts dialling the static peers. */
  static async start(o: P2POptions): Promise<P2PNode> {
    const node = new P2PNode(o);
    node.bound = await node.manager.listen(o.listenHost, o.listenPort);
    node.identity.listen = advertisedListen(o.listenHost, node.bound.port, o.advertise);
    node.manager.startDialing();
    return node;
  }

  /** The actual bound address as `ws://host:port` (for the `ready` line of E.2). */
  get url(): string {
    const b = this.bound;
    if (!b) throw new Error('P2P listener is not bound');
    const host = b.host.includes(':') ? `[${b.host}]` : b.host;
    return `ws://${host}:${b.port}`;
  }

  get listen(): string | null {
    return this.identity.listen;
  }

  peers(): PeerInfo[] {
    return this.manager.peerInfo();
  }

  /** B.7.8 readiness: the highest tip_epoch of the connected peers, or null without peers. */
  highestPeerTip(): number | null {
    const tips = this.manager.readyPeers().map((p) => p.tipEpoch);
    return tips.length === 0 ? null : Math.max(...tips);
  }

  /** Median HELLO clock offset of the connected peers (B.8.3), for `/health`. */
  clockSkewSeconds(): number | null {
    return this.manager.medianClockOffset();
  }

  get isSyncing(): boolean {
    return this.sync.isSyncing;
  }

  broadcast(out: FinalityOutput): void {
    this.gossip.broadcastFinality(out);
  }

  announce(kind: ObjectKind | 'epoch', ids: readonly string[]): void {
    this.gossip.announce(kind, ids);
  }

  /** FinalityEngine `needEpoch`: fetch the pair of `epoch` from any peer that may have it. */
  requestEpoch(epoch: number): void {
    for (const peer of this.manager.readyPeers()) this.sync.poke(peer, Math.max(epoch, peer.tipEpoch));
  }

  /** Dials `url` and keeps it connected (retried like `--peer`). */
  connect(url: string): void {
    this.manager.connect(url);
  }

  /** Test and diagnostics access to the live connections. */
  readyPeers(): Peer[] {
    return this.manager.readyPeers();
  }

  async stop(): Promise<void> {
    this.gossip.stop();
    await this.manager.stop();
  }
}
