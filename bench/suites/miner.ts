/**
 * Miner fingerprint speed: the whole D.4 fingerprint with default parameters (target ≤ 5 s on the
 * 2-core VM), each check's share, and the L3/L1 latency ratio the cache check saw.
 */
import { atMost, type BenchResult } from '../result.js';
import { measureFingerprint } from '../../src-main/miner/fingerprint/index.js';

export default async function minerSuite(): Promise<BenchResult[]> {
  const r = await measureFingerprint();
  const fidelity = r.fidelity === 'native' ? 'native addon' : `fallback (${r.fallbackReason ?? 'no addon'})`;
  const out: BenchResult[] = [
    {
      suite: 'miner',
      name: 'full fingerprint (defaults)',
      value: r.elapsedMs,
      unit: 'ms',
      ...atMost(r.elapsedMs, 5000),
      notes: fidelity,
    },
  ];
  for (const [check, ns] of Object.entries(r.raw.elapsed_ns)) {
    out.push({ suite: 'miner', name: `check ${check}`, value: ns / 1e6, unit: 'ms' });
  }
  const c = r.raw.checks.cache_timing;
  if (c) {
    out.push({
      suite: 'miner',
      name: 'cache L3/L1 latency ratio',
      value: c.l3_ns / c.l1_ns,
      unit: 'x',
      notes: `L1 ${c.l1_ns.toFixed(2)} ns, L2 ${c.l2_ns.toFixed(2)} ns, L3 ${c.l3_ns.toFixed(2)} ns, memory ${c.mem_ns.toFixed(2)} ns (${c.sizes_source} sizes)`,
    });
  }
  return out;
}
