import type { HistoryItem } from '../../../src-main/app/contract.js';

export interface BalancePoint {
  epoch: number;
  rtc: number;
}

/**
 * Rebuilds the confirmed balance at the end of each epoch from the current balance and the confirmed
 * history (newest first): walking back, each epoch's value is the balance before later items applied.
 */
export function balanceSeries(currentUrtc: string, history: HistoryItem[]): BalancePoint[] {
  const confirmed = history.filter((h) => h.status === 'confirmed' && h.epoch !== null);
  let balance = BigInt(currentUrtc);
  const byEpoch = new Map<number, bigint>();
  for (const item of confirmed) {
    const epoch = item.epoch as number;
    if (!byEpoch.has(epoch)) byEpoch.set(epoch, balance);
    const delta = BigInt(item.amountI64);
    balance -= item.kind === 'transfer_out' ? -delta : delta;
  }
  const points = [...byEpoch.entries()].map(([epoch, b]) => ({ epoch, rtc: Number(b) / 1e6 }));
  points.sort((a, b) => a.epoch - b.epoch);
  if (points.length > 0) {
    const first = points[0] as BalancePoint;
    points.unshift({ epoch: first.epoch - 1, rtc: Number(balance) / 1e6 });
  }
  return points;
}
