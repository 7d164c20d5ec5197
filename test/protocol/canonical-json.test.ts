import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src-main/protocol/bytes.js';
import {
  canonicalJson,
  compareCodePoints,
  parseJson,
  parseJsonBytes,
  PyFloat,
  spacedJson,
  type JsonValue,
} from '../../src-main/protocol/canonical-json.js';
import { pythonFloatRepr } from '../../src-main/protocol/float-repr.js';
import { loadVectors } from '../support/vectors.js';

interface CanonicalCase {
  name: string;
  input: string;
  canonical?: string;
  sha256?: string;
  error?: string;
}

describe('python float repr (A.4.3)', () => {
  const v = loadVectors('python-float-repr');
  it.each(v.cases as { bits: string; repr: string }[])('$bits → $repr', ({ bits, repr }) => {
    const dv = new DataView(new ArrayBuffer(8));
    dv.setBigUint64(0, BigInt('0x' + bits));
    expect(pythonFloatRepr(dv.getFloat64(0))).toBe(repr);
  });
});

describe('canonical JSON (A.4)', () => {
  const v = loadVectors('canonical-json');
  for (const c of v.cases as CanonicalCase[]) {
    it(c.name, () => {
      if (c.error !== undefined) {
        expect(() => canonicalJson(parseJson(c.input))).toThrow();
        return;
      }
      const out = canonicalJson(parseJson(c.input));
      expect(out).toBe(c.canonical);
      expect(sha256Hex(out)).toBe(c.sha256);
    });
  }

  it('keeps 1, 1.0 and 1e0 apart', () => {
    expect(canonicalJson(parseJson('[1,1.0,1e0,-0,-0.0]'))).toBe('[1,1.0,1.0,0,-0.0]');
  });

  it('treats __proto__ as an ordinary key', () => {
    const v = parseJson('{"__proto__":{"x":1},"a":2}');
    expect(canonicalJson(v)).toBe('{"__proto__":{"x":1},"a":2}');
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
  });

  it('rejects deep nesting, invalid UTF-8, BOM and non-standard literals cleanly', () => {
    expect(() => parseJson('['.repeat(100_000) + ']'.repeat(100_000))).toThrow(/nesting/);
    expect(() => parseJsonBytes(new Uint8Array([0x22, 0xff, 0x22]))).toThrow(/UTF-8/);
    expect(() => parseJson('\ufeff{}')).toThrow();
    for (const bad of ['NaN', 'Infinity', '-Infinity', '1e400', '[1,]', "{'a':1}", '01', '{} x']) {
      expect(() => parseJson(bad), bad).toThrow();
    }
  });

  it('sorts keys by code point, not UTF-16 unit', () => {
    expect(compareCodePoints('\u{1F600}', '\uFFFF')).toBeGreaterThan(0);
    expect(canonicalJson({ '\uFFFF': 1, '\u{1F600}': 2 })).toBe('{"\\uffff":1,"\\ud83d\\ude00":2}');
  });

  it('spaced variant matches json.dumps(sort_keys=True)', () => {
    expect(spacedJson({ b: [1, new PyFloat(2)], a: 'x' })).toBe('{"a": "x", "b": [1, 2.0]}');
  });

  it('property: JSON.parse of canonical JSON gives the value back', () => {
    const value: fc.Arbitrary<JsonValue> = fc.letrec((tie) => ({
      leaf: fc.oneof(
        fc.constant(null),
        fc.boolean(),
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => new PyFloat(d)),
        fc.string({ unit: 'binary' }),
      ),
      node: fc.oneof(
        { depthSize: 'small' },
        tie('leaf'),
        fc.array(tie('node'), { maxLength: 5 }),
        fc.dictionary(fc.string({ unit: 'binary' }), tie('node'), { maxKeys: 5 }),
      ),
    })).node as fc.Arbitrary<JsonValue>;
    const plain = (v: JsonValue): unknown => {
      if (v instanceof PyFloat) return Object.is(v.value, -0) ? -0 : v.value;
      if (Array.isArray(v)) return v.map(plain);
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
      return v;
    };
    fc.assert(
      fc.property(value, (v) => {
        const text = canonicalJson(v);
        expect(/^[\x20-\x7e]*$/.test(text)).toBe(true);
        expect(JSON.parse(text)).toEqual(plain(v));
        expect(canonicalJson(parseJson(text))).toBe(text);
      }),
      { numRuns: 500 },
    );
  });
});
