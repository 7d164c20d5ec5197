/**
 * Settlement (B.5) and Merkle (B.6.4) speed at chain scale: one epoch's reward split over a million
 * miners, and the state root over a million leaves with node:crypto's SHA-256 injected.
 */
import { createHash } from 'node:crypto';
import { atMost, type BenchResult } from '../result.js';
import { settle } from '../../src-main/protocol/settlement.js';
import { merkleRootOfTexts } from '../../src-main/protocol/merkle.js';

const nodeSha256 = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());

function addresses(n: number): string[] {
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) out[i] = 'RTC' + createHash('sha256').update(String(i)).digest('hex').slice(0, 40);
  return out;
}

export default async function settlementSuite(): Promise<BenchResult[]> {
  const n = 1_000_000;
  const miners = addresses(n);
  const weights = [800_000_000n, 1_200_000_000n, 2_500_000_000n, 500_000n, 1_050_000_000n];
  const enrollments = miners.map((miner, i) => ({ miner, weightUnits: weights[i % weights.length] as bigint }));

  const t0 = performance.now();
  const result = settle({ potI64: 1_500_000n, totalSupplyBeforeI64: 0n, enrollments });
  const settleMs = performance.now() - t0;

  const leaves = result.shares.map(
    (s) => `{"miner":"${s.miner}","share_i64":${s.shareI64},"weight_units":${s.weightUnits}}`,
  );
  const t1 = performance.now();
  merkleRootOfTexts(leaves, nodeSha256);
  const merkleMs = performance.now() - t1;

  return [
    { suite: 'protocol', name: 'settle 1,000,000 miners', value: settleMs, unit: 'ms', ...atMost(settleMs, 5000) },
    { suite: 'protocol', name: 'merkle root of 1,000,000 reward leaves', value: merkleMs, unit: 'ms' },
  ];
}
