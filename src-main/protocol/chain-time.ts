/**
 * Chain time (PROTOCOL.md A.2): slots, epochs and the proposal deadline, in integer unix seconds.
 * Every division is a floor division, also before the genesis time where the results are negative.
 * All inputs are safe integers, so plain numbers are exact here.
 */

export interface ChainTiming {
  genesisTime: number;
  slotSeconds: number;
  epochSlots: number;
  graceSeconds: number;
}

/** The reference constants (A.1); our genesis file may override them for test networks. */
export const REFERENCE_TIMING: ChainTiming = {
  genesisTime: 1764706927,
  slotSeconds: 600,
  epochSlots: 144,
  graceSeconds: 600,
};

/** floor(a / b) for integers, exact (no float division) and correct for negative a. */
export function floorDiv(a: number, b: number): number {
  const r = ((a % b) + b) % b;
  return (a - r) / b;
}

function assertInt(name: string, v: number): void {
  if (!Number.isSafeInteger(v)) throw new RangeError(`${name} must be a safe integer, got ${v}`);
}

export function slotAt(t: number, g: ChainTiming): number {
  assertInt('t', t);
  return floorDiv(t - g.genesisTime, g.slotSeconds);
}

export function epochOfSlot(slot: number, g: ChainTiming): number {
  assertInt('slot', slot);
  return floorDiv(slot, g.epochSlots);
}

export function epochAt(t: number, g: ChainTiming): number {
  return epochOfSlot(slotAt(t, g), g);
}

/** Position of the slot of `t` inside its epoch, 0 … epochSlots − 1. */
export function slotInEpoch(t: number, g: ChainTiming): number {
  const slot = slotAt(t, g);
  return slot - epochOfSlot(slot, g) * g.epochSlots;
}

export function epochStart(epoch: number, g: ChainTiming): number {
  assertInt('epoch', epoch);
  return g.genesisTime + epoch * g.epochSlots * g.slotSeconds;
}

export function epochEnd(epoch: number, g: ChainTiming): number {
  return epochStart(epoch + 1, g);
}

/** When the proposal of epoch E is due on our node (B.7): the end of E plus the grace period. */
export function proposalDue(epoch: number, g: ChainTiming): number {
  return epochEnd(epoch, g) + g.graceSeconds;
}
