import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJson, type JsonValue } from '../../src-main/protocol/canonical-json.js';
import { settle, type Enrollment } from '../../src-main/protocol/settlement.js';
import { asObject, loadVectorsText } from '../support/vectors.js';

interface Case {
  name: string;
  potI64: bigint;
  supplyI64: bigint;
  enrollments: Enrollment[];
  expected: {
    p: bigint;
    minted: bigint;
    totalWeight: bigint;
    shares: { miner: string; share: bigint; weight: bigint }[];
  };
}

const big = (v: JsonValue | undefined): bigint => {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  throw new Error(`not an int: ${String(v)}`);
};
const obj = asObject;
const arr = (v: JsonValue | undefined) => {
  if (!Array.isArray(v)) throw new Error('not an array');
  return v;
};

// Read with the number-preserving parser: some weights and products exceed 2^53.
const file = obj(parseJson(loadVectorsText('settlement')));
const cases: Case[] = arr(file.cases).map((raw) => {
  const c = obj(raw);
  const e = obj(c.expected);
  return {
    name: String(c.name),
    potI64: big(c.pot_i64),
    supplyI64: big(c.total_supply_before_i64),
    enrollments: arr(c.enrollments).map((x) => ({
      miner: String(obj(x).miner),
      weightUnits: big(obj(x).weight_units),
    })),
    expected: {
      p: big(e.p_i64),
      minted: big(e.total_minted_i64),
      totalWeight: big(e.total_weight_units),
      shares: arr(e.shares).map((x) => ({
        miner: String(obj(x).miner),
        share: big(obj(x).share_i64),
        weight: big(obj(x).weight_units),
      })),
    },
  };
});

describe('settlement vectors (B.5)', () => {
  it('has all 37 cases', () => {
    expect(cases).toHaveLength(37);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = settle({ potI64: c.potI64, totalSupplyBeforeI64: c.supplyI64, enrollments: c.enrollments });
    expect(r.pI64).toBe(c.expected.p);
    expect(r.mintedI64).toBe(c.expected.minted);
    expect(r.totalWeightUnits).toBe(c.expected.totalWeight);
    expect(r.shares.map((s) => ({ miner: s.miner, share: s.shareI64, weight: s.weightUnits }))).toEqual(
      c.expected.shares,
    );
  });
});

const minerId = fc.oneof(
  fc.stringMatching(/^RTC[0-9a-f]{6}$/),
  fc.string({ minLength: 1, maxLength: 4, unit: 'binary' }),
);
const enrollmentSet = fc.uniqueArray(
  fc.record({ miner: minerId, weightUnits: fc.bigInt({ min: 0n, max: 20_000_000_000_000n }) }),
  { selector: (e) => e.miner, minLength: 1, maxLength: 40 },
);
const pot = fc.bigInt({ min: 0n, max: 8_388_608_000_000n });
/** Table weights (≤ 2.5 × 10^9 units) with a real pot keep every P·w below 2^53 (the double path). */
const realisticEnrollmentSet = fc.uniqueArray(
  fc.record({ miner: minerId, weightUnits: fc.bigInt({ min: 0n, max: 2_500_000_000n }) }),
  { selector: (e) => e.miner, minLength: 1, maxLength: 40 },
);

describe('settlement properties', () => {
  it('shares sum to P when W > 0 and P > 0', () => {
    fc.assert(
      fc.property(enrollmentSet, pot, (enrollments, potI64) => {
        const r = settle({ potI64, totalSupplyBeforeI64: 0n, enrollments });
        const sum = r.shares.reduce((a, s) => a + s.shareI64, 0n);
        if (r.totalWeightUnits > 0n && r.pI64 > 0n) expect(sum).toBe(r.pI64);
        else expect(sum).toBe(0n);
        expect(r.mintedI64).toBe(sum);
      }),
    );
  });

  it("a miner's share never falls when its weight rises", () => {
    fc.assert(
      fc.property(
        enrollmentSet,
        pot,
        fc.nat(),
        fc.bigInt({ min: 1n, max: 5_000_000_000_000n }),
        (enrollments, potI64, pick, raise) => {
          const i = pick % enrollments.length;
          const target = enrollments[i]!;
          const before = settle({ potI64, totalSupplyBeforeI64: 0n, enrollments });
          const raised = enrollments.map((e, j) => (j === i ? { ...e, weightUnits: e.weightUnits + raise } : e));
          const after = settle({ potI64, totalSupplyBeforeI64: 0n, enrollments: raised });
          const shareOf = (r: typeof before) => r.shares.find((s) => s.miner === target.miner)?.shareI64 ?? 0n;
          expect(shareOf(after)).toBeGreaterThanOrEqual(shareOf(before));
        },
      ),
    );
  });

  it('is independent of input order', () => {
    fc.assert(
      fc.property(enrollmentSet, pot, fc.nat(), (enrollments, potI64, seed) => {
        const shuffled = enrollments
          .map((e, k) => ({ e, key: (k * 2654435761 + seed) % 1000003 }))
          .sort((a, b) => a.key - b.key)
          .map((x) => x.e);
        const a = settle({ potI64, totalSupplyBeforeI64: 0n, enrollments });
        const b = settle({ potI64, totalSupplyBeforeI64: 0n, enrollments: shuffled });
        expect(b).toEqual(a);
      }),
    );
  });

  it('ranks remainders exactly when the total weight exceeds 2^53', () => {
    // Three miners at the cap plus one tiny weight: W > 2^53 takes the bigint ranking path.
    const enrollments = [
      { miner: 'c', weightUnits: 10n ** 13n },
      { miner: 'a', weightUnits: 10n ** 13n },
      { miner: 'b', weightUnits: 10n ** 13n },
      { miner: 'z', weightUnits: 1n },
    ];
    const many = Array.from({ length: 1000 }, (_, k) => ({ miner: `m${k}`, weightUnits: 10n ** 13n }));
    const r = settle({ potI64: 1_500_000n, totalSupplyBeforeI64: 0n, enrollments: [...enrollments, ...many] });
    expect(r.totalWeightUnits > 2n ** 53n).toBe(true);
    expect(r.shares.reduce((a, s) => a + s.shareI64, 0n)).toBe(1_500_000n);
    const share = (m: string) => r.shares.find((s) => s.miner === m)!.shareI64;
    // P·w / W ≈ 1495.5 for each capped miner: their equal remainders take the left-over units in id order.
    expect(share('a')).toBe(1496n);
    expect(share('z')).toBe(0n);
  });

  it('splits exactly as the bigint definition on both the double and the bigint path', () => {
    // B.5 written out with bigints only; pots up to 10^7 keep P·w below 2^53 (the double path), larger
    // pots go through the bigint one.
    const reference = (potI64: bigint, enrollments: Enrollment[]) => {
      const cap = 10_000_000_000_000n;
      const rows = enrollments
        .map((e) => ({ m: e.miner, w: e.weightUnits > cap ? cap : e.weightUnits }))
        .filter((r) => r.w > 0n);
      const W = rows.reduce((a, r) => a + r.w, 0n);
      if (W === 0n || potI64 === 0n) return new Map<string, bigint>();
      const out = rows.map((r) => ({ m: r.m, share: (potI64 * r.w) / W, rem: (potI64 * r.w) % W }));
      let left = potI64 - out.reduce((a, r) => a + r.share, 0n);
      const bytes = (m: string) => Buffer.from(m, 'utf8');
      const ranked = [...out].sort((a, b) =>
        a.rem === b.rem ? Buffer.compare(bytes(a.m), bytes(b.m)) : a.rem > b.rem ? -1 : 1,
      );
      for (const r of ranked) {
        if (left === 0n) break;
        r.share++;
        left--;
      }
      return new Map(out.map((r) => [r.m, r.share]));
    };
    fc.assert(
      fc.property(
        fc.oneof(enrollmentSet, realisticEnrollmentSet),
        fc.oneof(fc.bigInt({ min: 1n, max: 10_000_000n }), pot),
        (enrollments, potI64) => {
          const r = settle({ potI64, totalSupplyBeforeI64: 0n, enrollments });
          const expected = reference(potI64, enrollments);
          expect(new Map(r.shares.map((s) => [s.miner, s.shareI64]))).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
