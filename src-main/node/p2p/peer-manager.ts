/**
 * The set of connections (PROTOCOL.md B.8.1, B.8.7, B.8.10): the listener, static `--peer` dialling
 * with back-off, the 8 outbound / 32 inbound limits, the one-connection-per-pair rule (4000), and
 * bans of node_id and IP address for 3600 s.
 */
import type { JsonObject } from '../../protocol/canonical-json.js';
import { compareCodePoints } from '../../protocol/canonical-json.js';
import type { Verifier } from '../../protocol/keys.js';
import { backoffDelayMs, CLOSE_CODES, LIMITS, SCORE, TIMING } from './limits.js';
import { Peer, type NodeIdentity } from './peer.js';
import type { Conn, Transport } from './transport.js';

export interface PeerManagerParams {
  transport: Transport;
  identity: NodeIdentity;
  tipEpoch(): number;
  staticPeers: readonly string[];
  verify?: Verifier;
  nowSeconds?: () => number;
  handshakeTimeoutMs?: number;
  /** A peer completed its handshake. */
  onPeerReady(peer: Peer): void;
  onPeerFrame(peer: Peer, type: string, id: string, payload: JsonObject, text: string): void;
  onPeerClosed(peer: Peer, code: number, reason: string): void;
  isSeenFlooded(id: string): boolean;
  log?(event: string, detail: Record<string, unknown>): void;
}

export interface PeerInfo {
  node_id: string;
  address: string;
  direction: 'inbound' | 'outbound';
  listen: string | null;
  tip_epoch: number;
  score: number;
  clock_offset_s: number;
}

export class PeerManager {
  private readonly connections = new Set<Peer>();
  private readonly bannedNodes = new Map<string, number>();
  private readonly bannedIps = new Map<string, number>();
  private readonly dialTimers = new Map<string, NodeJS.Timeout>();
  private readonly dialAttempts = new Map<string, number>();
  private readonly dialledBy = new Map<Peer, string>();
  /** node_id last reached at each `--peer` address, so a live connection is not dialled twice. */
  private readonly urlNode = new Map<string, string>();
  private stopped = false;

  constructor(private readonly p: PeerManagerParams) {}

  async listen(host: string, port: number): Promise<{ host: string; port: number }> {
    return this.p.transport.listen(host, port, (conn) => this.accept(conn));
  }

  startDialing(): void {
    for (const url of this.p.staticPeers) this.dial(url);
  }

  /** Keeps `url` connected from now on, like a `--peer` address. */
  connect(url: string): void {
    this.dial(url);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.dialTimers.values()) clearTimeout(t);
    this.dialTimers.clear();
    for (const peer of [...this.connections]) peer.close(1001, 'shutting down');
    await this.p.transport.close();
  }

  readyPeers(): Peer[] {
    return [...this.connections].filter((c) => c.isReady);
  }

  peerInfo(): PeerInfo[] {
    return this.readyPeers().map((peer) => ({
      node_id: peer.nodeId as string,
      address: peer.remoteAddress,
      direction: peer.outbound ? 'outbound' : 'inbound',
      listen: peer.remoteHello?.listen ?? null,
      tip_epoch: peer.tipEpoch,
      score: peer.score,
      clock_offset_s: Math.round(peer.clockOffsetSeconds),
    }));
  }

  /** B.8.3 clock check: the median offset of the connected peers, or null without peers. */
  medianClockOffset(): number | null {
    const offsets = this.readyPeers()
      .map((p) => p.clockOffsetSeconds)
      .sort((a, b) => a - b);
    if (offsets.length === 0) return null;
    const mid = offsets.length >> 1;
    return offsets.length % 2
      ? (offsets[mid] as number)
      : ((offsets[mid - 1] as number) + (offsets[mid] as number)) / 2;
  }

  isBanned(nodeId: string): boolean {
    return this.activeBan(this.bannedNodes, nodeId);
  }

  isIpBanned(ip: string): boolean {
    return this.activeBan(this.bannedIps, ip);
  }

  ban(nodeId: string | null, ip: string): void {
    const until = Date.now() + TIMING.banSeconds * 1000;
    if (nodeId !== null) this.bannedNodes.set(nodeId, until);
    this.bannedIps.set(ip, until);
    this.p.log?.('peer_banned', { node_id: nodeId, address: ip });
  }

  // ---------------------------------------------------------------------------------------------

  private accept(conn: Conn): void {
    if (this.stopped) return conn.close(1001, 'shutting down');
    if (this.isIpBanned(conn.remoteAddress)) return conn.close(CLOSE_CODES.banned, 'banned');
    const inbound = [...this.connections].filter((c) => !c.outbound).length;
    if (inbound >= LIMITS.maxInbound) return conn.close(CLOSE_CODES.tooManyPeers, 'too many peers');
    this.connections.add(this.makePeer(conn, false));
  }

  private dial(url: string): void {
    if (this.stopped || this.dialTimers.has(url)) return;
    const outbound = [...this.connections].filter((c) => c.outbound).length;
    const known = this.urlNode.get(url);
    const connected = known !== undefined && this.readyPeers().some((c) => c.nodeId === known);
    if (outbound >= LIMITS.maxOutbound || connected) return this.scheduleDial(url);
    this.p.transport.dial(url).then(
      (conn) => {
        if (this.stopped) return conn.close(1001, 'shutting down');
        const peer = this.makePeer(conn, true);
        this.dialledBy.set(peer, url);
        this.connections.add(peer);
      },
      () => this.scheduleDial(url),
    );
  }

  /** `--peer` addresses are always retried: 1 s doubling to 60 s, ±20 % (B.8.10). */
  private scheduleDial(url: string): void {
    if (this.stopped || this.dialTimers.has(url)) return;
    const attempt = this.dialAttempts.get(url) ?? 0;
    this.dialAttempts.set(url, attempt + 1);
    const timer = setTimeout(() => {
      this.dialTimers.delete(url);
      this.dial(url);
    }, backoffDelayMs(attempt));
    timer.unref();
    this.dialTimers.set(url, timer);
  }

  private makePeer(conn: Conn, outbound: boolean): Peer {
    return new Peer({
      conn,
      outbound,
      identity: this.p.identity,
      tipEpoch: this.p.tipEpoch,
      verify: this.p.verify,
      nowSeconds: this.p.nowSeconds,
      handshakeTimeoutMs: this.p.handshakeTimeoutMs,
      events: {
        onReady: (peer) => this.ready(peer),
        onFrame: (peer, type, id, payload, text) => this.p.onPeerFrame(peer, type, id, payload, text),
        onClosed: (peer, code, reason) => this.closed(peer, code, reason),
        isSeenFlooded: (id) => this.p.isSeenFlooded(id),
        isBanned: (id) => this.isBanned(id),
        log: this.p.log,
      },
    });
  }

  private ready(peer: Peer): void {
    const nodeId = peer.nodeId as string;
    const twin = this.readyPeers().find((c) => c !== peer && c.nodeId === nodeId);
    if (twin) {
      // Keep the connection dialled by the node with the smaller node_id (B.8.1).
      const keep = this.preferred(peer, twin, nodeId);
      const drop = keep === peer ? twin : peer;
      const url = this.dialledBy.get(peer);
      if (url !== undefined) this.urlNode.set(url, nodeId);
      drop.close(CLOSE_CODES.duplicate, 'duplicate connection');
      if (drop === peer) return;
    }
    const url = this.dialledBy.get(peer);
    if (url !== undefined) {
      this.dialAttempts.delete(url);
      this.urlNode.set(url, nodeId);
    }
    this.p.log?.('peer_connected', { node_id: nodeId, direction: peer.outbound ? 'outbound' : 'inbound' });
    this.p.onPeerReady(peer);
  }

  private preferred(a: Peer, b: Peer, remoteId: string): Peer {
    const smallerIsUs = compareCodePoints(this.p.identity.nodeId, remoteId) < 0;
    const dialledBySmaller = (c: Peer) => (smallerIsUs ? c.outbound : !c.outbound);
    if (dialledBySmaller(a) !== dialledBySmaller(b)) return dialledBySmaller(a) ? a : b;
    return a.connectedAt <= b.connectedAt ? a : b;
  }

  private closed(peer: Peer, code: number, reason: string): void {
    this.connections.delete(peer);
    if (peer.score <= SCORE.banAt) this.ban(peer.nodeId, peer.remoteAddress);
    const url = this.dialledBy.get(peer);
    this.dialledBy.delete(peer);
    if (peer.nodeId !== null) {
      this.p.log?.('peer_closed', { node_id: peer.nodeId, code, reason });
      this.p.onPeerClosed(peer, code, reason);
    }
    if (url !== undefined) this.scheduleDial(url);
  }

  private activeBan(map: Map<string, number>, key: string): boolean {
    const until = map.get(key);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    map.delete(key);
    return false;
  }
}
