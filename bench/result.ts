/** One measured figure of `npm run bench`. */
export interface BenchResult {
  /** Which part of the product the figure is for, e.g. "protocol", "node", "wallet". */
  suite: string;
  name: string;
  value: number;
  unit: string;
  /** The target, for the table, e.g. ">= 8000". */
  target?: string;
  /** Whether the target is met (absent when there is no target). */
  met?: boolean;
  notes?: string;
}

export type BenchSuite = () => Promise<BenchResult[]>;

export function atLeast(value: number, target: number): Pick<BenchResult, 'target' | 'met'> {
  return { target: `>= ${target}`, met: value >= target };
}

export function atMost(value: number, target: number): Pick<BenchResult, 'target' | 'met'> {
  return { target: `<= ${target}`, met: value <= target };
}

/** Runs `fn` repeatedly for about `ms` milliseconds and returns operations per second. */
export function opsPerSecond(fn: (i: number) => void, ms = 1000): number {
  for (let i = 0; i < 100; i++) fn(i); // warm-up
  const start = process.hrtime.bigint();
  const budget = BigInt(ms) * 1_000_000n;
  let n = 0;
  while (process.hrtime.bigint() - start < budget) {
    for (let j = 0; j < 100; j++) fn(n++);
  }
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  return n / elapsed;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx] as number;
}
