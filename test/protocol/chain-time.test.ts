import { describe, expect, it } from 'vitest';
import { loadVectors } from '../support/vectors.js';
import {
  epochAt,
  epochEnd,
  epochOfSlot,
  epochStart,
  floorDiv,
  proposalDue,
  REFERENCE_TIMING,
  slotAt,
  slotInEpoch,
  type ChainTiming,
} from '../../src-main/protocol/chain-time.js';

interface TimeCase {
  unix: number;
  slot: number;
  epoch: number;
  slot_in_epoch: number;
  epoch_start_unix: number;
  epoch_end_unix: number;
  proposal_due_unix: number;
}
interface TimeSet {
  name: string;
  genesis_time: number;
  slot_seconds: number;
  epoch_slots: number;
  grace_seconds: number;
  cases: TimeCase[];
}

const sets = loadVectors('chain-time').sets as TimeSet[];

describe('chain-time.json', () => {
  for (const set of sets) {
    const g: ChainTiming = {
      genesisTime: set.genesis_time,
      slotSeconds: set.slot_seconds,
      epochSlots: set.epoch_slots,
      graceSeconds: set.grace_seconds,
    };
    it(`${set.name}: ${set.cases.length} cases, including times before the genesis`, () => {
      expect(set.cases.filter((c) => c.unix < set.genesis_time).length).toBeGreaterThanOrEqual(4);
      for (const c of set.cases) {
        const where = `t=${c.unix}`;
        expect(slotAt(c.unix, g), where).toBe(c.slot);
        expect(epochOfSlot(c.slot, g), where).toBe(c.epoch);
        expect(epochAt(c.unix, g), where).toBe(c.epoch);
        expect(slotInEpoch(c.unix, g), where).toBe(c.slot_in_epoch);
        expect(epochStart(c.epoch, g), where).toBe(c.epoch_start_unix);
        expect(epochEnd(c.epoch, g), where).toBe(c.epoch_end_unix);
        expect(proposalDue(c.epoch, g), where).toBe(c.proposal_due_unix);
      }
    });
  }
  it('the mainnet set uses the reference constants', () => {
    const main = sets.find((s) => s.name === 'mainnet_compatible');
    expect(main?.genesis_time).toBe(REFERENCE_TIMING.genesisTime);
    expect(main?.slot_seconds).toBe(REFERENCE_TIMING.slotSeconds);
    expect(main?.epoch_slots).toBe(REFERENCE_TIMING.epochSlots);
  });
});

describe('floorDiv', () => {
  it('floors toward −∞', () => {
    expect(floorDiv(-1, 600)).toBe(-1);
    expect(floorDiv(-600, 600)).toBe(-1);
    expect(floorDiv(-601, 600)).toBe(-2);
    expect(floorDiv(599, 600)).toBe(0);
    expect(floorDiv(0, 7)).toBe(0);
  });
  it('refuses non-integer times', () => {
    expect(() => slotAt(1.5, REFERENCE_TIMING)).toThrow(RangeError);
  });
});
