/**
 * Chain time of one genesis (PROTOCOL.md A.2), bound to its parameters. Times may be fractional
 * (the clock's now()); they are floored to whole unix seconds first.
 */
import * as ct from '../../protocol/chain-time.js';
import type { Genesis } from '../../protocol/genesis.js';

export class Schedule {
  readonly timing: ct.ChainTiming;
  readonly epochSlots: number;
  readonly slotSeconds: number;
  readonly genesisTime: number;
  readonly firstEpoch: number;

  constructor(g: Genesis) {
    this.timing = {
      genesisTime: g.genesis_time,
      slotSeconds: g.slot_seconds,
      epochSlots: g.epoch_slots,
      graceSeconds: g.grace_seconds,
    };
    this.epochSlots = g.epoch_slots;
    this.slotSeconds = g.slot_seconds;
    this.genesisTime = g.genesis_time;
    this.firstEpoch = g.first_epoch;
  }

  slotAt(t: number): number {
    return ct.slotAt(Math.floor(t), this.timing);
  }

  epochAt(t: number): number {
    return ct.epochAt(Math.floor(t), this.timing);
  }

  epochOfSlot(slot: number): number {
    return ct.epochOfSlot(slot, this.timing);
  }

  epochStart(e: number): number {
    return ct.epochStart(e, this.timing);
  }

  epochEnd(e: number): number {
    return ct.epochEnd(e, this.timing);
  }

  proposalDue(e: number): number {
    return ct.proposalDue(e, this.timing);
  }

  /** The chain starts at epoch_start(first_epoch); before that no challenges and no transfers. */
  started(t: number): boolean {
    return Math.floor(t) >= this.epochStart(this.firstEpoch);
  }
}

/** `epoch(t)` for genesis parameters not yet wrapped in a Schedule (used to pick `first_epoch`). */
export function epochAtParams(t: number, genesisTime: number, slotSeconds: number, epochSlots: number): number {
  return ct.epochAt(Math.floor(t), { genesisTime, slotSeconds, epochSlots, graceSeconds: 0 });
}
