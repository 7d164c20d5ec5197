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
  const shares = exactInDoubles(pI64, weights, totalWeightUnits)
    ? splitInDoubles(pI64, miners, weights, totalWeightUnits, order)
    : splitInBigInts(pI64, miners, weights, totalWeightUnits, order);
  return { pI64, mintedI64: pI64, totalWeightUnits, shares };
}

/** Every product P·w_i, plus W, below 2^53: the split can run in exact double arithmetic. */
function exactInDoubles(pI64: bigint, weights: readonly bigint[], W: bigint): boolean {
  let maxW = 0n;
  for (const w of weights) if (w > maxW) maxW = w;
  return pI64 * maxW + W <= BigInt(Number.MAX_SAFE_INTEGER);
}

/**
 * The same split as `splitInBigInts` with doubles, which are exact integers below 2^53: a million miners
 * then cost one bigint each (the share) instead of five. The floor of the rounded quotient is corrected
 * by at most one, so quotient and remainder are exactly those of the integer division.
 */
function splitInDoubles(
  pI64: bigint,
  miners: readonly string[],
  weights: readonly bigint[],
  totalWeightUnits: bigint,
  order: Uint32Array,
): Share[] {
  const n = order.length;
  const P = Number(pI64);
  const W = Number(totalWeightUnits);
  const shares = new Array<Share>(n);
  const quotients = new Float64Array(n);
  const remainders = new Float64Array(n);
  let distributed = 0;
  for (let k = 0; k < n; k++) {
    const pw = P * Number(weights[order[k] as number] as bigint);
    let q = Math.floor(pw / W);
    let r = pw - q * W;
    if (r < 0) {
      q -= 1;
      r += W;
    } else if (r >= W) {
      q += 1;
      r -= W;
    }
    quotients[k] = q;
    remainders[k] = r;
    distributed += q; // Σ q ≤ P < 2^53: exact
  }
  const leftOver = P - distributed; // 0 ≤ R < n
  if (leftOver > 0) for (const k of largestOf(remainders, leftOver)) quotients[k] = (quotients[k] as number) + 1;
  for (let k = 0; k < n; k++) {
    const i = order[k] as number;
    shares[k] = {
      miner: miners[i] as string,
      shareI64: BigInt(quotients[k] as number),
      weightUnits: weights[i] as bigint,
    };
  }
  return shares;
}

function splitInBigInts(
  pI64: bigint,
  miners: readonly string[],
  weights: readonly bigint[],
  W: bigint,
  order: Uint32Array,
): Share[] {
  const n = order.length;
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
  return shares;
}

/**
 * Positions of the `count` largest remainders, ties to the smaller position (positions are in miner-id
 * order, so that is the B.5 tie-break). Remainders are < W; when W fits a double exactly they are ranked
 * with a native numeric sort and a threshold instead of a comparator sort of a million bigints.
 */
function largestRemainders(remainders: readonly bigint[], count: number, W: bigint): number[] {
  const n = remainders.length;
  if (W <= BigInt(Number.MAX_SAFE_INTEGER)) {
    const exact = new Float64Array(n);
    for (let k = 0; k < n; k++) exact[k] = Number(remainders[k]);
    return largestOf(exact, count);
  }
  const picked: number[] = [];
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

/** Positions of the `count` largest of exact integer values, ties to the smaller position. */
function largestOf(exact: Float64Array, count: number): number[] {
  const n = exact.length;
  const picked: number[] = [];
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
