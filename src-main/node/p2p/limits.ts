/**
 * Constants of PROTOCOL.md B.8.6, B.8.7, B.8.9 and B.8.10, and the per-peer token bucket.
 */

export const KiB = 1024;
export const MiB = 1024 * KiB;

/** Also the WebSocket max payload: nothing larger is ever read. */
export const MAX_FRAME_BYTES = 16 * MiB;

const FRAME_LIMITS: Record<string, number> = {
  HELLO: 8 * KiB,
  HELLO_ACK: 8 * KiB,
  PING: 8 * KiB,
  PONG: 8 * KiB,
  VOTE: 8 * KiB,
  PEER_ANNOUNCE: 64 * KiB,
  INV: 64 * KiB,
  GET: 64 * KiB,
  COMMIT: 1 * MiB,
  DATA: 16 * MiB,
  PROPOSAL: 16 * MiB,
};

/** Unknown types get the smallest limit: they are ignored anyway. */
export function frameLimit(type: string): number {
  return FRAME_LIMITS[type] ?? 8 * KiB;
}

export const FLOODED_TYPES = new Set(['PROPOSAL', 'VOTE', 'COMMIT', 'PEER_ANNOUNCE']);
/** Dropped first when an outbound queue is full (B.8.9); the others are never dropped. */
export const DROPPABLE_TYPES = new Set(['INV', 'PEER_ANNOUNCE', 'PING']);

export const CLOSE_CODES = {
  duplicate: 4000,
  wrongChain: 4001,
  unsupportedVersion: 4002,
  badHandshake: 4003,
  banned: 4004,
  tooManyPeers: 4005,
  badFrame: 4006,
  handshakeTimeout: 4007,
  slowConsumer: 4008,
  pingTimeout: 4009,
} as const;

export const SCORE = {
  max: 100,
  banAt: -100,
  invalidObject: -20,
  malformedFrame: -10,
  unsolicitedData: -5,
  rateLimited: -1,
  badFrame: -50,
  newObject: 1,
} as const;

export const TIMING = {
  handshakeTimeoutMs: 10_000,
  pingIntervalMs: 30_000,
  pongTimeoutMs: 20_000,
  getTimeoutMs: 10_000,
  backoffStartMs: 1_000,
  backoffMaxMs: 60_000,
  backoffJitter: 0.2,
  banSeconds: 3_600,
  helloSkewSeconds: 60,
  invFlushMs: 100,
} as const;

export const LIMITS = {
  maxOutbound: 8,
  maxInbound: 32,
  queueFrames: 1_000,
  queueBytes: 32 * MiB,
  invIds: 500,
  getIds: 500,
  epochRange: 32,
  outstandingIdsPerPeer: 5_000,
  seenEntries: 100_000,
  seenTtlSeconds: 3_600,
  poolInvIds: 5_000,
} as const;

/** Refilled continuously; `take` fails without consuming when the bucket lacks the amount. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly nowMs: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = nowMs();
  }

  take(amount = 1): boolean {
    const now = this.nowMs();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
    this.last = now;
    if (this.tokens < amount) return false;
    this.tokens -= amount;
    return true;
  }
}

/** B.8.6 buckets: 200 frames/s (burst 400), 8 MiB/s (burst 32 MiB), 5,000 INV ids/s. */
export function peerBuckets(nowMs: () => number = Date.now) {
  return {
    frames: new TokenBucket(200, 400, nowMs),
    bytes: new TokenBucket(8 * MiB, 32 * MiB, nowMs),
    invIds: new TokenBucket(5_000, 5_000, nowMs),
  };
}

/** 1 s doubling to 60 s with ±20 % jitter (B.8.10). */
export function backoffDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(TIMING.backoffMaxMs, TIMING.backoffStartMs * 2 ** Math.max(0, attempt));
  return Math.round(base * (1 + TIMING.backoffJitter * (2 * random() - 1)));
}
