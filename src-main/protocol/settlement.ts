/**
 * Epoch reward split (PROTOCOL.md B.5): P = max(0, min(pot, CAP − supply)); share_i = floor(P·w_i / W);
 * the R = P − Σ share_i left-over µRTC go one each to the miners with the largest remainder
 * (P·w_i mod W), ties by miner id in UTF-8 byte order. Exactly P is minted when W > 0 and P > 0.
 *
 * Sized for a million miners: the ids are sorted once (plain string comparison whenever it agrees with
 * byte order), and the remainder ranking only runs when R > 0, over a typed index array.
 */
import { byteOrderPermutation } from './byte-order.js';
import { WEIGHT_CAP_UNITS } from './fingerprint/weights.js';

export { WEIGHT_CAP_UNITS };

export const SUPPLY_CAP_I64 = 8_388_608_000_000n;

export interface Enrollment {
  miner: string;
  weightUnits: bigint;
}

export interface Share {
  miner: string;
  shareI64: bigint;
  /** The capped weight (B.5), what the reward leaf carries. */
  weightUnits: bigint;
}

export interface SettlementInput {
  potI64: bigint;
  totalSupplyBeforeI64: bigint;
  enrollments: readonly Enrollment[];
}

export interface Settlement {
  /** P of B.5 (reported even when nothing is minted because W = 0). */
  pI64: bigint;
  /** What is actually minted: P, or 0 when W = 0 or P = 0. */
  mintedI64: bigint;
  totalWeightUnits: bigint;
  /** Eligible miners (capped weight > 0), sorted by miner id in byte order; empty when nothing is minted. */
  shares: Share[];
}

export function supplyLimitedPot(potI64: bigint, totalSupplyBeforeI64: bigint): bigint {
  const room = SUPPLY_CAP_I64 - totalSupplyBeforeI64;
  const p = potI64 < room ? potI64 : room;
  return p > 0n ? p : 0n;
}

export function settle(input: SettlementInput): Settlement {
  const pI64 = supplyLimitedPot(input.potI64, input.totalSupplyBeforeI64);

  const miners: string[] = [];
  const weights: bigint[] = [];
  let totalWeightUnits = 0n;
  for (const e of input.enrollments) {
    const w = e.weightUnits > WEIGHT_CAP_UNITS ? WEIGHT_CAP_UNITS : e.weightUnits;
    if (w <= 0n) continue;
    miners.push(e.miner);
    weights.push(w);
    totalWeightUnits += w;
  }
  if (totalWeightUnits === 0n || pI64 === 0n) {
    return { pI64, mintedI64: 0n, totalWeightUnits, shares: [] };
  }

  const order = byteOrderPermutation(miners);
  const n = miners.length;
  const W = totalWeightUnits;
  const shares = new Array<Share>(n);
  const remainders = new Array<bigint>(n);
  let distributed = 0n;
  for (let k = 0; k < n; k++) {
    const i = order[k] as number;
    const w = weights[i] as bigint;
    const pw = pI64 * w;
    const share = pw / W;
    shares[k] = { miner: miners[i] as string, shareI64: share, weightUnits: w };
    remainders[k] = pw - share * W;
    distributed += share;
  }

  const leftOver = Number(pI64 - distributed); // 0 ≤ R < n
  if (leftOver > 0) {
    for (const k of largestRemainders(remainders, leftOver, W)) (shares[k] as Share).shareI64 += 1n;
  }
  return { pI64, mintedI64: pI64, totalWeightUnits, shares };
}

/**
 * Positions of the `count` largest remainders, ties to the smaller position (positions are in miner-id
 * order, so that is the B.5 tie-break). Remainders are < W; when W fits a double exactly they are ranked
 * with a native numeric sort and a threshold instead of a comparator sort of a million bigints.
 */
function largestRemainders(remainders: readonly bigint[], count: number, W: bigint): number[] {
  const n = remainders.length;
  const picked: number[] = [];
  if (W <= BigInt(Number.MAX_SAFE_INTEGER)) {
    const exact = new Float64Array(n);
    for (let k = 0; k < n; k++) exact[k] = Number(remainders[k]);
    const sorted = Float64Array.from(exact).sort();
    const threshold = sorted[n - count] as number;
    let above = 0;
    for (let k = 0; k < n; k++) if ((exact[k] as number) > threshold) above++;
    let atThreshold = count - above;
    for (let k = 0; k < n; k++) {
      const r = exact[k] as number;
      if (r > threshold) picked.push(k);
      else if (r === threshold && atThreshold > 0) {
        picked.push(k);
        atThreshold--;
      }
    }
    return picked;
  }
  const order = new Uint32Array(n);
  for (let k = 0; k < n; k++) order[k] = k;
  order.sort((a, b) => {
    const ra = remainders[a] as bigint;
    const rb = remainders[b] as bigint;
    return ra === rb ? a - b : ra > rb ? -1 : 1;
  });
  for (let j = 0; j < count; j++) picked.push(order[j] as number);
  return picked;
}
