/**
 * Throttling of password attempts per keystore: three free attempts, then each further attempt must wait
 * 1 s, 2 s, 4 s … (at most 5 minutes) after the previous failure. A success clears the count.
 */
import { WalletError } from './errors.js';

const FREE_ATTEMPTS = 3;
const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 5 * 60_000;

export class PasswordThrottle {
  private readonly failures = new Map<string, { count: number; lastAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Milliseconds until the next attempt is allowed (0 = now). */
  waitMs(key: string): number {
    const f = this.failures.get(key);
    if (!f || f.count < FREE_ATTEMPTS) return 0;
    const delay = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (f.count - FREE_ATTEMPTS));
    return Math.max(0, f.lastAt + delay - this.now());
  }

  /** Throws `throttled` (with `retry_after_ms`) when an attempt is not allowed yet. */
  check(key: string): void {
    const wait = this.waitMs(key);
    if (wait > 0) {
      throw new WalletError('throttled', `too many wrong passwords; try again in ${Math.ceil(wait / 1000)} s`, {
        retry_after_ms: wait,
      });
    }
  }

  failed(key: string): void {
    const f = this.failures.get(key);
    this.failures.set(key, { count: (f?.count ?? 0) + 1, lastAt: this.now() });
  }

  succeeded(key: string): void {
    this.failures.delete(key);
  }
}
