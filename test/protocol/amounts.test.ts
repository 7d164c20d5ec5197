import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadVectors } from '../support/vectors.js';
import { parseJson, PyFloat, canonicalJson } from '../../src-main/protocol/canonical-json.js';
import {
  amountTextOf,
  formatRtc,
  MAX_I64,
  microOfDecimalText,
  parseRequestAmount,
  parseRequestFee,
  parseUserAmount,
  rtcFloat,
  SUPPLY_CAP_I64,
  walletAmountText,
} from '../../src-main/protocol/amounts.js';

interface WalletRow {
  urtc: number;
  amount_rtc_text: string;
  node_amount_i64: number;
  round_trips: boolean;
  in_wallet_range: boolean;
}
interface QuantRow {
  json_number_text: string;
  signed_amount_text: string;
  amount_i64: number;
}
interface UserRow {
  input: string;
  urtc: number | null;
  valid: boolean;
}

const vectors = loadVectors('amounts');
// JSON.parse loses digits beyond 2^53, so the big integers are re-read with the exact parser.
const exact = parseJson(JSON.stringify(vectors)) as unknown as typeof vectors;

describe('amounts.json wallet_to_node', () => {
  const rows = vectors.wallet_to_node as WalletRow[];
  it('has rows', () => expect(rows.length).toBeGreaterThan(50));
  for (const row of rows) {
    it(`${row.urtc} µRTC`, () => {
      const n = BigInt(row.urtc);
      expect(amountTextOf(n)).toBe(row.amount_rtc_text);
      expect(microOfDecimalText(row.amount_rtc_text)).toBe(BigInt(row.node_amount_i64));
      if (row.round_trips) {
        expect(walletAmountText(n)).toBe(row.amount_rtc_text);
        // What the wallet sends is what the node debits.
        const parsed = parseRequestAmount(parseJson(row.amount_rtc_text));
        expect(parsed).toMatchObject({ ok: true, amountI64: n });
      } else {
        expect(() => walletAmountText(n)).toThrow(RangeError);
      }
      expect(row.in_wallet_range).toBe(n >= 1n && n <= SUPPLY_CAP_I64);
    });
  }
});

describe('amounts.json node_quantisation', () => {
  for (const row of vectors.node_quantisation as QuantRow[]) {
    it(row.json_number_text, () => {
      const v = parseJson(row.json_number_text);
      const expected = BigInt(row.amount_i64.toString());
      const r = parseRequestAmount(v);
      if (expected === 0n) {
        expect(r).toMatchObject({ ok: false, code: 'amount_too_small_after_quantization' });
        if (!r.ok) expect(canonicalJson(r.signed as PyFloat)).toBe(row.signed_amount_text);
      } else if (expected > MAX_I64) {
        expect(r).toMatchObject({ ok: false, code: 'amount_exceeds_i64' });
      } else {
        expect(r.ok).toBe(true);
        if (r.ok) {
          expect(canonicalJson(r.signed)).toBe(row.signed_amount_text);
          expect(r.amountI64).toBe(expected);
        }
      }
      expect(microOfDecimalText(row.signed_amount_text)).toBe(expected);
    });
  }
  it('reads the exact amount_i64 beyond 2^53', () => {
    const rows = exact.node_quantisation as unknown as Array<{ amount_i64: bigint | number }>;
    expect(rows.some((r) => typeof r.amount_i64 === 'bigint')).toBe(true);
  });
});

describe('amounts.json user_input', () => {
  for (const row of vectors.user_input as UserRow[]) {
    it(JSON.stringify(row.input), () => {
      const r = parseUserAmount(row.input);
      expect(r === null ? null : Number(r)).toBe(row.valid ? row.urtc : null);
    });
  }
});

describe('request amounts (A.5.5 rows 3–8)', () => {
  it('classifies non-numbers and non-finite strings', () => {
    expect(parseRequestAmount(true)).toMatchObject({ ok: false, code: 'amount_not_number' });
    expect(parseRequestAmount({})).toMatchObject({ ok: false, code: 'amount_not_number' });
    expect(parseRequestAmount('1_000')).toMatchObject({ ok: false, code: 'amount_not_number' });
    expect(parseRequestAmount('0x10')).toMatchObject({ ok: false, code: 'amount_not_number' });
    for (const s of ['NaN', '-Infinity', ' inf ', 'sNaN12', '+nan']) {
      expect(parseRequestAmount(s)).toMatchObject({ ok: false, code: 'amount_not_finite' });
    }
  });
  it('rejects zero, negatives, huge and over-precise strings', () => {
    expect(parseRequestAmount(0)).toMatchObject({ ok: false, code: 'amount_must_be_positive' });
    expect(parseRequestAmount('-0.5')).toMatchObject({ ok: false, code: 'amount_must_be_positive' });
    expect(parseRequestAmount(new PyFloat(-0))).toMatchObject({ ok: false, code: 'amount_must_be_positive' });
    expect(parseRequestAmount('1e400')).toMatchObject({ ok: false, code: 'amount_exceeds_i64' });
    expect(parseRequestAmount('9' + '0'.repeat(100000))).toMatchObject({ ok: false, code: 'amount_exceeds_i64' });
    expect(parseRequestAmount('1e-400')).toMatchObject({ ok: false, code: 'amount_too_small_after_quantization' });
    expect(parseRequestAmount('0.9999999999999999999')).toMatchObject({ ok: false, code: 'amount_precision_mismatch' });
    expect(parseRequestAmount('9223372036854.775807')).toMatchObject({ ok: false, code: 'amount_precision_mismatch' });
    expect(parseRequestAmount(9223372036855n)).toMatchObject({ ok: false, code: 'amount_exceeds_i64' });
  });
  it('accepts strings with surrounding whitespace and signs the nearest double', () => {
    const r = parseRequestAmount(' 0.5 ');
    expect(r).toMatchObject({ ok: true, amountI64: 500000n });
    if (r.ok) expect(canonicalJson(r.signed)).toBe('0.5');
    const big = parseRequestAmount('.25e1');
    expect(big).toMatchObject({ ok: true, amountI64: 2500000n });
  });
  it('parses fees: absent is 0.0, negatives and non-numbers refused', () => {
    const none = parseRequestFee(undefined);
    expect(none.ok && canonicalJson(none.signed)).toBe('0.0');
    expect(parseRequestFee(new PyFloat(-0.01))).toMatchObject({ ok: false, code: 'fee_must_be_non_negative' });
    expect(parseRequestFee('abc')).toMatchObject({ ok: false, code: 'amount_not_number' });
    expect(parseRequestFee('nan')).toMatchObject({ ok: false, code: 'amount_not_finite' });
    expect(parseRequestFee(new PyFloat(0.01))).toMatchObject({ ok: true, isZero: false });
    expect(parseRequestFee('-0')).toMatchObject({ ok: true, isZero: true });
  });
});

describe('display', () => {
  it('formats exact decimals and nearest floats', () => {
    expect(formatRtc(1_500_000n)).toBe('1.5');
    expect(formatRtc(1n)).toBe('0.000001');
    expect(formatRtc(2_000_000n)).toBe('2');
    expect(formatRtc(-1_250_000n)).toBe('-1.25');
    expect(rtcFloat(94_549_990n).value).toBe(94.54999);
    expect(rtcFloat(MAX_I64).value).toBe(Number('9223372036854.775807'));
  });
});

describe('properties', () => {
  it('walletAmountText → parseRequestAmount gives n back for every n in 1…SUPPLY_CAP', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: SUPPLY_CAP_I64 }), (n) => {
        const r = parseRequestAmount(parseJson(walletAmountText(n)));
        return r.ok && r.amountI64 === n;
      }),
      { numRuns: 3000 },
    );
  });
  it('formatRtc → parseUserAmount gives n back', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: SUPPLY_CAP_I64 }), (n) => parseUserAmount(formatRtc(n)) === n),
      { numRuns: 3000 },
    );
  });
});
