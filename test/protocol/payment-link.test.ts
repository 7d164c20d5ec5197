import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SUPPLY_CAP_I64 } from '../../src-main/protocol/amounts.js';
import {
  formatPaymentLink,
  parsePaymentLink,
  PaymentLinkError,
  type PaymentLinkErrorCode,
} from '../../src-main/protocol/payment-link.js';

const ADDR = 'RTC139e3940e64b5491722088d9a0d741628fc826e0';

function errorCode(link: string): PaymentLinkErrorCode | 'no error' {
  try {
    parsePaymentLink(link);
    return 'no error';
  } catch (err) {
    if (err instanceof PaymentLinkError) return err.code;
    throw err;
  }
}

describe('parsePaymentLink', () => {
  it('reads address, amount and memo', () => {
    expect(parsePaymentLink(`rustchain:${ADDR}?amount=1.5&memo=coffee%20%E2%98%95`)).toEqual({
      address: ADDR,
      amountMicro: 1_500_000n,
      memo: 'coffee ☕',
    });
  });

  it('accepts a bare address, the authority form and an upper-case scheme; lower-cases the hex', () => {
    const upper = 'RTC' + ADDR.slice(3).toUpperCase();
    expect(parsePaymentLink(`rustchain:${ADDR}`)).toEqual({ address: ADDR });
    expect(parsePaymentLink(`RustChain://${upper}/?amount=0.000001`)).toEqual({ address: ADDR, amountMicro: 1n });
  });

  it('decodes + as a space and ignores unknown parameters', () => {
    expect(parsePaymentLink(`rustchain:${ADDR}?label=shop&memo=a+b%2Bc`)).toEqual({ address: ADDR, memo: 'a b+c' });
  });

  it('rejects malformed links with a specific code', () => {
    expect(errorCode(`bitcoin:${ADDR}`)).toBe('not_a_payment_link');
    expect(errorCode(ADDR)).toBe('not_a_payment_link');
    expect(errorCode('rustchain:RTC123')).toBe('invalid_address');
    expect(errorCode('rustchain:dual-g4-125')).toBe('invalid_address');
    expect(errorCode(`rustchain:${ADDR}?amount=0`)).toBe('invalid_amount');
    expect(errorCode(`rustchain:${ADDR}?amount=1.0000001`)).toBe('invalid_amount');
    expect(errorCode(`rustchain:${ADDR}?amount=-1`)).toBe('invalid_amount');
    expect(errorCode(`rustchain:${ADDR}?amount=1e3`)).toBe('invalid_amount');
    expect(errorCode(`rustchain:${ADDR}?amount=8388608.000001`)).toBe('invalid_amount');
    expect(errorCode(`rustchain:${ADDR}?amount=+1`)).toBe('invalid_amount');
    expect(errorCode(`rustchain:${ADDR}?amount=1&amount=2`)).toBe('duplicate_parameter');
    expect(errorCode(`rustchain:${ADDR}?memo=%E2%98`)).toBe('bad_encoding');
    expect(errorCode(`rustchain:${ADDR}?memo=${'x'.repeat(1025)}`)).toBe('invalid_memo');
    expect(errorCode(`rustchain:${ADDR}?memo=${'x'.repeat(17_000)}`)).toBe('link_too_long');
  });

  it('accepts the supply cap and a 1024-code-point memo', () => {
    expect(parsePaymentLink(`rustchain:${ADDR}?amount=8388608`).amountMicro).toBe(SUPPLY_CAP_I64);
    expect(parsePaymentLink(`rustchain:${ADDR}?memo=${'%F0%9F%98%80'.repeat(1024)}`).memo).toBe('😀'.repeat(1024));
  });
});

describe('formatPaymentLink', () => {
  it('writes the canonical text', () => {
    expect(formatPaymentLink({ address: ADDR, amountMicro: 2_500_000n, memo: 'rent & food' })).toBe(
      `rustchain:${ADDR}?amount=2.5&memo=rent%20%26%20food`,
    );
    expect(formatPaymentLink({ address: ADDR })).toBe(`rustchain:${ADDR}`);
  });

  it('refuses values a parser would reject', () => {
    expect(() => formatPaymentLink({ address: 'RTCxyz' })).toThrow(PaymentLinkError);
    expect(() => formatPaymentLink({ address: ADDR, amountMicro: 0n })).toThrow(PaymentLinkError);
    expect(() => formatPaymentLink({ address: ADDR, memo: '\ud800' })).toThrow(PaymentLinkError);
  });

  it('round-trips any valid link', () => {
    const hex = fc.stringMatching(/^[0-9a-f]{40}$/);
    fc.assert(
      fc.property(
        hex,
        fc.option(fc.bigInt({ min: 1n, max: SUPPLY_CAP_I64 }), { nil: undefined }),
        fc.option(fc.string({ unit: 'grapheme', maxLength: 200 }), { nil: undefined }),
        (h, amountMicro, memo) => {
          const link = {
            address: 'RTC' + h,
            ...(amountMicro !== undefined && { amountMicro }),
            ...(memo !== undefined && { memo }),
          };
          expect(parsePaymentLink(formatPaymentLink(link))).toEqual(link);
        },
      ),
      { numRuns: 300 },
    );
  });
});
