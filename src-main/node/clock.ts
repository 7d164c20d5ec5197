/**
 * The node's view of time: unix seconds plus one-shot timers. Production uses the system clock; tests
 * may inject a ManualClock and move it forward by hand.
 */
export interface Clock {
  /** Unix time in seconds (may be fractional). */
  now(): number;
  /** Calls `fn` once when `now() >= at`; returns a cancel function. */
  at(at: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now() / 1000,
  at(at, fn) {
    // setTimeout caps at ~24.8 days; re-arm in steps so far-away deadlines still fire.
    let timer: NodeJS.Timeout;
    const arm = () => {
      const ms = Math.max(0, Math.min((at - Date.now() / 1000) * 1000, 2 ** 31 - 1));
      timer = setTimeout(() => (Date.now() / 1000 >= at ? fn() : arm()), Math.ceil(ms));
      timer.unref?.();
    };
    arm();
    return () => clearTimeout(timer);
  },
};

export class ManualClock implements Clock {
  private timers: { at: number; fn: () => void; live: boolean }[] = [];
  constructor(private t: number) {}

  now(): number {
    return this.t;
  }

  at(at: number, fn: () => void): () => void {
    const timer = { at, fn, live: true };
    this.timers.push(timer);
    return () => {
      timer.live = false;
    };
  }

  /** Moves time forward and fires every due timer in deadline order. */
  advance(seconds: number): void {
    this.t += seconds;
    for (let guard = 0; guard < 100_000; guard++) {
      const due = this.timers.filter((x) => x.live && x.at <= this.t).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      due.live = false;
      due.fn();
    }
    this.timers = this.timers.filter((x) => x.live);
  }
}
