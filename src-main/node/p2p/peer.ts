/**
 * One gossip connection (PROTOCOL.md B.8.2, B.8.3, B.8.6, B.8.7, B.8.9, B.8.10): the HELLO/HELLO_ACK
 * handshake with its 10 s timeout, size limits and the prefix checked before parsing, token buckets,
 * the peer score, PING/PONG, and a bounded outbound queue. What the frames mean is the gossip layer's
 * business: a ready peer hands every parsed frame to `onFrame`.
 */
import { randomBytes } from 'node:crypto';
import type { JsonObject } from '../../protocol/canonical-json.js';
import { decodeFrame, encodeFrame, peekFrame } from '../../protocol/gossip/frames.js';
import { checkHello, checkHelloAck, signHello, signHelloAck, type Hello } from '../../protocol/gossip/hello.js';
import type { Verifier } from '../../protocol/keys.js';
import { isSafeInt } from '../../protocol/signed-object.js';
import {
  CLOSE_CODES,
  DROPPABLE_TYPES,
  FLOODED_TYPES,
  frameLimit,
  LIMITS,
  MiB,
  peerBuckets,
  SCORE,
  TIMING,
} from './limits.js';
import type { Conn } from './transport.js';

export interface NodeIdentity {
  seed: Uint8Array;
  nodeId: string;
  chainId: string;
  genesisHash: string;
  listen: string | null;
}

export interface PeerEvents {
  /** Handshake complete; the peer may now send and receive frames. */
  onReady(peer: Peer): void;
  onFrame(peer: Peer, type: string, id: string, payload: JsonObject, text: string): void;
  onClosed(peer: Peer, code: number, reason: string): void;
  /** B.8.2 step 3: flooded frames already seen are dropped unread. */
  isSeenFlooded(id: string): boolean;
  isBanned(nodeId: string): boolean;
  log?(event: string, detail: Record<string, unknown>): void;
}

export interface PeerParams {
  conn: Conn;
  outbound: boolean;
  identity: NodeIdentity;
  tipEpoch(): number;
  events: PeerEvents;
  verify?: Verifier;
  /** Unix seconds, for HELLO timestamps. */
  nowSeconds?: () => number;
  /** B.8.10 fixes 10 s; tests shorten it. */
  handshakeTimeoutMs?: number;
}

interface Queued {
  text: string;
  type: string;
  bytes: number;
}

/** Bytes in flight on the socket before the queue stops feeding it. */
const SOCKET_HIGH_WATER = 4 * MiB;

export class Peer {
  readonly conn: Conn;
  readonly outbound: boolean;
  readonly connectedAt = Date.now();
  score = 0;
  remoteHello: Hello | null = null;
  /** HELLO.timestamp − our receipt time (B.8.3 clock check). */
  clockOffsetSeconds = 0;
  tipEpoch = -1;
  private ackVerified = false;
  private readonly ourNonce = randomBytes(16).toString('hex');
  private readonly buckets = peerBuckets();
  private readonly queue: Queued[] = [];
  private queueBytes = 0;
  private inFlightBytes = 0;
  private closed = false;
  private handshakeTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private pongTimer: NodeJS.Timeout | null = null;
  private pendingPing: string | null = null;

  constructor(private readonly p: PeerParams) {
    this.conn = p.conn;
    this.outbound = p.outbound;
    this.handshakeTimer = setTimeout(
      () => this.close(CLOSE_CODES.handshakeTimeout, 'handshake timeout'),
      p.handshakeTimeoutMs ?? TIMING.handshakeTimeoutMs,
    );
    this.handshakeTimer.unref();
    // Our HELLO goes first: attaching the listener may replay the peer's HELLO at once, and our ACK
    // must not overtake our HELLO.
    this.sendHello();
    this.conn.onMessage((data, isBinary) => this.receive(data, isBinary));
    this.conn.onClose((code, reason) => this.closedByTransport(code, reason));
  }

  get nodeId(): string | null {
    return this.remoteHello?.node_id ?? null;
  }

  get isReady(): boolean {
    return this.remoteHello !== null && this.ackVerified && !this.closed;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get remoteAddress(): string {
    return this.conn.remoteAddress;
  }

  /** Queues a frame; returns false when it was dropped or the connection had to close (B.8.9). */
  sendFrame(type: string, payload: JsonObject): string | null {
    const frame = encodeFrame(type, payload);
    return this.sendText(type, frame.text) ? frame.id : null;
  }

  sendText(type: string, text: string): boolean {
    if (this.closed) return false;
    const bytes = Buffer.byteLength(text, 'utf8');
    if (!this.makeRoom(type, bytes)) return false;
    this.queue.push({ text, type, bytes });
    this.queueBytes += bytes;
    this.pump();
    return true;
  }

  /** Score change (B.8.7); at −100 or below the connection closes with 4004 and the manager bans. */
  adjustScore(delta: number, why: string): void {
    this.score = Math.min(SCORE.max, this.score + delta);
    if (delta < 0) this.log('peer_penalised', { delta, why, score: this.score });
    if (this.score <= SCORE.banAt) this.close(CLOSE_CODES.banned, 'score too low');
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.clearTimers();
    this.conn.close(code, reason);
    this.p.events.onClosed(this, code, reason);
  }

  // ---------------------------------------------------------------------------------------------

  private sendHello(): void {
    const hello = signHello(
      {
        chainId: this.p.identity.chainId,
        genesisHash: this.p.identity.genesisHash,
        listen: this.p.identity.listen,
        tipEpoch: this.p.tipEpoch(),
        timestamp: Math.floor(this.now()),
        nonce: this.ourNonce,
      },
      this.p.identity.seed,
    );
    this.sendFrame('HELLO', hello);
  }

  private receive(data: Buffer, isBinary: boolean): void {
    if (this.closed) return;
    this.armPing();
    if (isBinary) return this.badFrame('binary frame');
    // Size and prefix before anything is parsed (B.8.2, B.8.6). The prefix fits in the first 100 bytes.
    const head = peekFrame(data.subarray(0, 100).toString('latin1'));
    if (head === null) return this.badFrame('bad prefix');
    if (data.length > frameLimit(head.type)) return this.badFrame(`${head.type} frame of ${data.length} bytes`);
    if (!this.buckets.frames.take(1) || !this.buckets.bytes.take(data.length)) {
      this.adjustScore(SCORE.rateLimited, 'rate limit');
      return;
    }
    if (FLOODED_TYPES.has(head.type) && this.p.events.isSeenFlooded(head.id)) return;
    const text = data.toString('utf8');
    const frame = decodeFrame(text);
    if (!frame.ok) {
      if (frame.error === 'bad_prefix') return this.badFrame(frame.message);
      this.adjustScore(SCORE.malformedFrame, frame.message);
      return;
    }
    if (frame.type === 'HELLO') return this.onHello(frame.payload);
    if (frame.type === 'HELLO_ACK') return this.onHelloAck(frame.payload);
    if (!this.isReady) return this.close(CLOSE_CODES.badHandshake, `${frame.type} before the handshake`);
    if (frame.type === 'PING') return this.onPing(frame.id, frame.payload);
    if (frame.type === 'PONG' && !this.onPong(frame.payload)) return;
    if (
      frame.type === 'INV' &&
      Array.isArray(frame.payload.ids) &&
      !this.buckets.invIds.take(frame.payload.ids.length)
    ) {
      this.adjustScore(SCORE.rateLimited, 'INV id rate');
      return;
    }
    this.p.events.onFrame(this, frame.type, frame.id, frame.payload, text);
  }

  private badFrame(why: string): void {
    this.score = Math.min(SCORE.max, this.score + SCORE.badFrame);
    this.log('bad_frame', { why, score: this.score });
    this.close(this.score <= SCORE.banAt ? CLOSE_CODES.banned : CLOSE_CODES.badFrame, why);
  }

  private onHello(payload: JsonObject): void {
    if (this.remoteHello !== null) return this.close(CLOSE_CODES.badHandshake, 'second HELLO');
    const code = checkHello(payload, {
      chainId: this.p.identity.chainId,
      genesisHash: this.p.identity.genesisHash,
      ownNodeId: this.p.identity.nodeId,
      nowSeconds: this.now(),
      isBanned: (id) => this.p.events.isBanned(id),
      verify: this.p.verify,
    });
    if (code !== null) return this.close(code, 'HELLO refused');
    const hello = payload as Hello;
    this.remoteHello = hello;
    this.tipEpoch = hello.tip_epoch;
    this.clockOffsetSeconds = hello.timestamp - this.now();
    const ack = signHelloAck(
      { chainId: this.p.identity.chainId, peerNodeId: hello.node_id, peerNonce: hello.nonce },
      this.p.identity.seed,
    );
    this.sendFrame('HELLO_ACK', ack);
    this.maybeReady();
  }

  private onHelloAck(payload: JsonObject): void {
    if (this.remoteHello === null || this.ackVerified) {
      return this.close(CLOSE_CODES.badHandshake, 'unexpected HELLO_ACK');
    }
    const code = checkHelloAck(payload, {
      chainId: this.p.identity.chainId,
      peerNodeId: this.remoteHello.node_id,
      ownNodeId: this.p.identity.nodeId,
      ourNonce: this.ourNonce,
      verify: this.p.verify,
    });
    if (code !== null) return this.close(code, 'HELLO_ACK refused');
    this.ackVerified = true;
    this.maybeReady();
  }

  private maybeReady(): void {
    if (!this.isReady) return;
    if (this.handshakeTimer) clearTimeout(this.handshakeTimer);
    this.handshakeTimer = null;
    this.armPing();
    this.p.events.onReady(this);
  }

  private onPing(id: string, payload: JsonObject): void {
    if (typeof payload.nonce !== 'string') return this.adjustScore(SCORE.malformedFrame, 'bad PING');
    this.sendFrame('PONG', { re: id, tip_epoch: this.p.tipEpoch() });
  }

  /** Handles the PONG itself; true when it is passed on (its tip_epoch may start a sync). */
  private onPong(payload: JsonObject): boolean {
    if (!isSafeInt(payload.tip_epoch) || typeof payload.re !== 'string') {
      this.adjustScore(SCORE.malformedFrame, 'bad PONG');
      return false;
    }
    if (payload.re === this.pendingPing) {
      this.pendingPing = null;
      if (this.pongTimer) clearTimeout(this.pongTimer);
      this.pongTimer = null;
    }
    this.tipEpoch = Math.max(this.tipEpoch, payload.tip_epoch);
    return true;
  }

  /** PING after 30 s of silence; no PONG within 20 s → 4009. */
  private armPing(): void {
    if (this.pingTimer) clearTimeout(this.pingTimer);
    if (this.closed || !this.isReady) return;
    this.pingTimer = setTimeout(() => {
      if (this.pendingPing !== null) return;
      this.pendingPing = this.sendFrame('PING', { nonce: randomBytes(16).toString('hex') });
      this.pongTimer = setTimeout(() => this.close(CLOSE_CODES.pingTimeout, 'no PONG'), TIMING.pongTimeoutMs);
      this.pongTimer.unref();
    }, TIMING.pingIntervalMs);
    this.pingTimer.unref();
  }

  /** B.8.9: drop queued INV/PEER_ANNOUNCE/PING first; if still full, drop a droppable newcomer or close 4008. */
  private makeRoom(type: string, bytes: number): boolean {
    const full = () => this.queue.length + 1 > LIMITS.queueFrames || this.queueBytes + bytes > LIMITS.queueBytes;
    for (let i = 0; full() && i < this.queue.length;) {
      const q = this.queue[i] as Queued;
      if (DROPPABLE_TYPES.has(q.type)) {
        this.queue.splice(i, 1);
        this.queueBytes -= q.bytes;
      } else {
        i++;
      }
    }
    if (!full()) return true;
    if (DROPPABLE_TYPES.has(type)) return false;
    this.close(CLOSE_CODES.slowConsumer, 'outbound queue full');
    return false;
  }

  private pump(): void {
    while (!this.closed && this.queue.length > 0 && this.inFlightBytes < SOCKET_HIGH_WATER) {
      const q = this.queue.shift() as Queued;
      this.queueBytes -= q.bytes;
      this.inFlightBytes += q.bytes;
      this.conn.send(q.text, () => {
        this.inFlightBytes -= q.bytes;
        this.pump();
      });
    }
  }

  private closedByTransport(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.clearTimers();
    this.p.events.onClosed(this, code, reason);
  }

  private clearTimers(): void {
    for (const t of [this.handshakeTimer, this.pingTimer, this.pongTimer]) if (t) clearTimeout(t);
    this.handshakeTimer = this.pingTimer = this.pongTimer = null;
  }

  private now(): number {
    return this.p.nowSeconds ? this.p.nowSeconds() : Date.now() / 1000;
  }

  private log(event: string, detail: Record<string, unknown>): void {
    this.p.events.log?.(event, { peer: this.nodeId, address: this.remoteAddress, ...detail });
  }
}
