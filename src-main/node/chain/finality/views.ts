/**
 * View timing of PROTOCOL.md B.7.2: view v of epoch E starts at
 * t_v = proposal_due(E) + view_timeout × v(v+1)/2, and its proposer is V[(E + v) mod n].
 */

/** Early-view tolerance of B.7.2 / B.7.9: views starting more than this far ahead are not entered. */
export const EARLY_VIEW_TOLERANCE_S = 10;

export interface ViewTiming {
  proposalDue: number;
  viewTimeoutSeconds: number;
}

export function viewStart(view: number, t: ViewTiming): number {
  return t.proposalDue + (t.viewTimeoutSeconds * view * (view + 1)) / 2;
}

/** The largest v with t_v ≤ now, or −1 before t_0. */
export function viewAt(now: number, t: ViewTiming): number {
  if (now < t.proposalDue) return -1;
  // Solve T·v(v+1)/2 ≤ now − due, then correct the float estimate by at most a step either way.
  const k = (now - t.proposalDue) / t.viewTimeoutSeconds;
  let v = Math.max(0, Math.floor((Math.sqrt(1 + 8 * k) - 1) / 2));
  while (v > 0 && viewStart(v, t) > now) v--;
  while (viewStart(v + 1, t) <= now) v++;
  return v;
}

/** B.7.9: a view may be processed only when it starts no later than now + 10 s. */
export function isViewWithinBounds(view: number, now: number, t: ViewTiming): boolean {
  return view >= 0 && Number.isSafeInteger(view) && viewStart(view, t) <= now + EARLY_VIEW_TOLERANCE_S;
}

export function proposerIndex(epoch: number, view: number, n: number): number {
  return (((epoch + view) % n) + n) % n;
}
