/**
 * Python's `repr(float)` (shortest round-trip digits), PROTOCOL.md A.4.3.
 *
 * JavaScript's `toExponential()` without an argument already yields the shortest digit string that
 * round-trips, exactly like CPython's repr; only the layout (fixed vs scientific, exponent width)
 * differs, and that is what this function rewrites.
 */
export function pythonFloatRepr(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`non-finite float ${x} has no JSON form`);
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const [mantissa = '', expText = '0'] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const e = Number(expText);
  let body: string;
  if (e >= -4 && e < 16) {
    if (e >= 0) {
      body =
        digits.length <= e + 1
          ? digits + '0'.repeat(e + 1 - digits.length) + '.0'
          : digits.slice(0, e + 1) + '.' + digits.slice(e + 1);
    } else {
      body = '0.' + '0'.repeat(-e - 1) + digits;
    }
  } else {
    const abs = Math.abs(e);
    body =
      digits[0] +
      (digits.length > 1 ? '.' + digits.slice(1) : '') +
      'e' +
      (e < 0 ? '-' : '+') +
      String(abs).padStart(2, '0');
  }
  return sign + body;
}
