import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byteOrderPermutation, compareByteOrder, sortByByteOrder } from '../../src-main/protocol/byte-order.js';

const utf8Order = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

describe('byte order', () => {
  it('compareByteOrder agrees with UTF-8 byte comparison', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
        expect(Math.sign(compareByteOrder(a, b))).toBe(Math.sign(utf8Order(a, b)));
      }),
    );
    expect(compareByteOrder('\u{1F600}', '\uFFFF')).toBeGreaterThan(0);
  });

  it('the packed sort of a large set equals a plain byte-order sort', () => {
    // Above the small-input threshold, with a shared prefix, varied lengths and duplicates.
    const keys: string[] = [];
    let x = 12345;
    for (let i = 0; i < 20000; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      const len = x % 9;
      keys.push('RTC' + x.toString(16).slice(0, len) + (i % 7 === 0 ? '' : '_z'));
    }
    const order = byteOrderPermutation(keys);
    const sorted = Array.from(order, (i) => keys[i]!);
    expect(sorted).toEqual([...keys].sort(utf8Order));
    // stable: equal keys keep their input order
    for (let i = 1; i < order.length; i++) {
      if (sorted[i] === sorted[i - 1]) expect(order[i]!).toBeGreaterThan(order[i - 1]!);
    }
  });

  it('non-ASCII keys fall back to code-point order', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 5 }), { maxLength: 50 }), (keys) => {
        expect(sortByByteOrder(keys, (k) => k)).toEqual([...keys].sort(utf8Order));
      }),
    );
  });
});
