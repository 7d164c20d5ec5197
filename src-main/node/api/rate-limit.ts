/**
 * The per-IP rate limits of A.8.1, in memory (B.10 allows it): fixed 60 s windows for /attest/challenge
 * and /api/miners, a sliding hour of distinct miners for /attest/submit (A.6.5 row 17).
 */
import type { MinerIpLimiter } from '../chain/attestation-service.js';

export interface RateLimitConfig {
  challengePerWindow: number;
  minersPerWindow: number;
  windowSeconds: number;
  submitMinersPerHour: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitConfig = {
  challengePerWindow: 10,
  minersPerWindow: 100,
  windowSeconds: 60,
  submitMinersPerHour: 15,
};

export interface WindowResult {
  allowed: boolean;
  limit: number;
  remaining: number;
  resetAt: number;
}

const MAX_TRACKED_IPS = 100_000;

export class FixedWindowLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  constructor(
    private readonly limit: number,
    private readonly windowSeconds: number,
  ) {}

  hit(ip: string, now: number): WindowResult {
    const start = Math.floor(now / this.windowSeconds) * this.windowSeconds;
    let w = this.windows.get(ip);
    if (!w || w.start !== start) {
      if (this.windows.size >= MAX_TRACKED_IPS) this.windows.clear();
      w = { start, count: 0 };
      this.windows.set(ip, w);
    }
    w.count++;
    return {
      allowed: w.count <= this.limit,
      limit: this.limit,
      remaining: Math.max(0, this.limit - w.count),
      resetAt: start + this.windowSeconds,
    };
  }
}

export class DistinctMinerLimiter implements MinerIpLimiter {
  private readonly seen = new Map<string, Map<string, number>>();
  constructor(
    private readonly limit: number,
    private readonly windowSeconds = 3600,
  ) {}

  allow(ip: string, miner: string, now: number): boolean {
    let miners = this.seen.get(ip);
    if (!miners) {
      if (this.seen.size >= MAX_TRACKED_IPS) this.seen.clear();
      miners = new Map();
      this.seen.set(ip, miners);
    }
    for (const [m, at] of miners) if (at <= now - this.windowSeconds) miners.delete(m);
    if (!miners.has(miner) && miners.size >= this.limit) return false;
    miners.set(miner, now);
    return true;
  }
}

export interface RateLimits {
  challenge: FixedWindowLimiter;
  miners: FixedWindowLimiter;
  submit: DistinctMinerLimiter;
}

export function makeRateLimits(c: RateLimitConfig): RateLimits {
  return {
    challenge: new FixedWindowLimiter(c.challengePerWindow, c.windowSeconds),
    miners: new FixedWindowLimiter(c.minersPerWindow, c.windowSeconds),
    submit: new DistinctMinerLimiter(c.submitMinersPerHour),
  };
}
