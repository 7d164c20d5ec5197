/**
 * Amounts (PROTOCOL.md A.1, A.5.2, A.5.5 rows 3–8, C.4 steps 1 and 5).
 *
 * Balances are integer µRTC held as bigint. The node's debit of a request amount is
 * `trunc(decimal(text) × 10^6)`; it is computed here on the decimal digits of the text, never with
 * float multiplication, because `0.29 * 1e6` is `289999.99999999994` in IEEE arithmetic.
 */
import { isFloatValue, isIntValue, PyFloat, type JsonValue } from './canonical-json.js';
import { pythonFloatRepr } from './float-repr.js';

export const MICRO_PER_RTC = 1_000_000n;
export const MAX_I64 = 2n ** 63n - 1n;
/** 8,388,608 RTC: no balance can exceed it, so it bounds what a wallet lets the user type (C.4). */
export const SUPPLY_CAP_I64 = 8_388_608_000_000n;
export const EPOCH_POT_I64 = 1_500_000n;
/** `min_rtc` of the `amount_too_small_after_quantization` answer. */
export const MIN_RTC = new PyFloat(1e-6);

// ---------------------------------------------------------------------------------------------
// Python-compatible whitespace (str.strip / `\s` on str patterns)
// ---------------------------------------------------------------------------------------------

const PY_WS = '\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const PY_STRIP_RE = new RegExp(`^[${PY_WS}]+|[${PY_WS}]+$`, 'g');

/** Python's `str.strip()` with no argument (Unicode whitespace, which differs from JS `trim`). */
export function pythonStrip(s: string): string {
  return s.replace(PY_STRIP_RE, '');
}

// ---------------------------------------------------------------------------------------------
// Exact decimal truncation
// ---------------------------------------------------------------------------------------------

const DECIMAL_RE = /^([+-]?)(?:(\d+)(?:\.(\d*))?|\.(\d+))(?:[eE]([+-]?\d+))?$/;
const NON_FINITE_RE = /^[+-]?(?:inf|infinity|s?nan[0-9]*)$/i;

/** A finite decimal: (-1)^negative × 0.digits… shifted; kept as digits and a power of ten. */
interface Decimal {
  negative: boolean;
  /** Significant digits without leading zeros ('' for zero). */
  digits: string;
  /** value = digits × 10^exponent; Infinity-like magnitudes are clamped (see `clampExponent`). */
  exponent: number;
}

/** Exponents beyond ±10^9 only decide "zero" or "too large"; clamping keeps the arithmetic finite. */
function clampExponent(text: string): number {
  const sign = text.startsWith('-') ? -1 : 1;
  const digits = text.replace(/^[+-]/, '').replace(/^0+/, '');
  if (digits.length > 10) return sign * 1e10;
  return sign * Number(digits || '0');
}

function parseDecimal(text: string): Decimal | null {
  const m = DECIMAL_RE.exec(text);
  if (!m) return null;
  const intPart = m[2] ?? '';
  const fracPart = m[3] ?? m[4] ?? '';
  const exponent = (m[5] === undefined ? 0 : clampExponent(m[5])) - fracPart.length;
  const digits = (intPart + fracPart).replace(/^0+/, '');
  return { negative: m[1] === '-', digits, exponent };
}

/** Beyond this many integer digits the exact value no longer matters: it is far above MAX_I64. */
const MAX_EXACT_DIGITS = 40;

/**
 * trunc(d × 10^6) toward zero, exact up to 40 integer digits; larger magnitudes are returned as
 * ±10^40 (out of range either way), so a 1 MiB digit string never becomes a 1 MiB BigInt.
 */
function truncMicro(d: Decimal): bigint {
  if (d.digits === '') return 0n;
  const intDigits = d.digits.length + d.exponent + 6; // digits left of the point after × 10^6
  if (intDigits <= 0) return 0n;
  if (intDigits > MAX_EXACT_DIGITS) return (d.negative ? -1n : 1n) * 10n ** BigInt(MAX_EXACT_DIGITS);
  const text =
    intDigits <= d.digits.length ? d.digits.slice(0, intDigits) : d.digits + '0'.repeat(intDigits - d.digits.length);
  const v = BigInt(text);
  return d.negative ? -v : v;
}

/** trunc(decimal(text) × 10^6) for a decimal text such as a Python float repr; null if not decimal. */
export function microOfDecimalText(text: string): bigint | null {
  const d = parseDecimal(text);
  return d === null ? null : truncMicro(d);
}

/** The node's debit for a float: trunc(decimal(repr(x)) × 10^6). */
export function microOfFloat(x: number): bigint {
  return truncMicro(parseDecimal(pythonFloatRepr(x)) as Decimal);
}

// ---------------------------------------------------------------------------------------------
// Display
// ---------------------------------------------------------------------------------------------

/** Exact decimal text of µRTC as RTC, without trailing zeros: 1500000n → "1.5", 1n → "0.000001". */
export function formatRtc(micro: bigint): string {
  const neg = micro < 0n;
  const abs = neg ? -micro : micro;
  const whole = (abs / MICRO_PER_RTC).toString();
  const frac = (abs % MICRO_PER_RTC).toString().padStart(6, '0').replace(/0+$/, '');
  return (neg ? '-' : '') + whole + (frac === '' ? '' : '.' + frac);
}

const EXACT_DOUBLE_LIMIT = 2n ** 53n;

/** The `*_rtc` display float: the double nearest to µRTC / 10^6. */
export function rtcFloat(micro: bigint): PyFloat {
  const abs = micro < 0n ? -micro : micro;
  // Both operands exact and one IEEE division: correctly rounded. Beyond 2^53, parse the exact text.
  if (abs <= EXACT_DOUBLE_LIMIT) return new PyFloat(Number(micro) / 1e6);
  return new PyFloat(Number(formatRtc(micro)));
}

// ---------------------------------------------------------------------------------------------
// Wallet side (C.4)
// ---------------------------------------------------------------------------------------------

const USER_AMOUNT_RE = /^([0-9]*)(?:\.([0-9]*))?$/;

/** C.4 step 1: the amount a user typed, as µRTC in 1 … SUPPLY_CAP_I64, or null when refused. */
export function parseUserAmount(text: string): bigint | null {
  const m = USER_AMOUNT_RE.exec(pythonStrip(text));
  if (!m) return null;
  const whole = m[1] ?? '';
  const frac = m[2] ?? '';
  if (whole === '' && frac === '') return null;
  if (frac.length > 6) return null;
  if (whole.replace(/^0+/, '').length > 13) return null; // far above the cap; keeps BigInt small
  const micro = BigInt(whole || '0') * MICRO_PER_RTC + BigInt(frac.padEnd(6, '0'));
  return micro >= 1n && micro <= SUPPLY_CAP_I64 ? micro : null;
}

/** Python repr of the double nearest n / 10^6: the `amount_rtc` number text a wallet sends. */
export function amountTextOf(micro: bigint): string {
  return pythonFloatRepr(rtcFloat(micro).value);
}

/**
 * C.4 step 5: the amount text to sign for n µRTC, after checking that the node's debit of that text
 * is exactly n (true for every n up to 10^15, so for the whole wallet range). Throws otherwise.
 */
export function walletAmountText(micro: bigint): string {
  if (micro < 1n) throw new RangeError('a transfer amount is at least 1 µRTC');
  const text = amountTextOf(micro);
  if (microOfDecimalText(text) !== micro) {
    throw new RangeError(`${formatRtc(micro)} RTC cannot be sent exactly as a float amount`);
  }
  return text;
}

// ---------------------------------------------------------------------------------------------
// Node side: request amounts (A.5.2, A.5.5 rows 3–8)
// ---------------------------------------------------------------------------------------------

export type AmountErrorCode =
  | 'amount_not_number'
  | 'amount_not_finite'
  | 'amount_must_be_positive'
  | 'amount_too_small_after_quantization'
  | 'amount_exceeds_i64'
  | 'amount_precision_mismatch';

export type RequestAmount =
  | { ok: true; signed: PyFloat; amountI64: bigint }
  /** `signed` is set for `amount_too_small_after_quantization`, whose answer echoes the float. */
  | { ok: false; code: AmountErrorCode; signed?: PyFloat };

/** A request number as (decimal, nearest double); a typed failure for everything else. */
type Numeric =
  { ok: true; decimal: Decimal; value: number } | { ok: false; code: 'amount_not_number' | 'amount_not_finite' };

function numericOf(v: JsonValue): Numeric {
  if (isFloatValue(v)) {
    const x = typeof v === 'number' ? v : v.value;
    return { ok: true, decimal: parseDecimal(pythonFloatRepr(x)) as Decimal, value: x };
  }
  if (isIntValue(v)) {
    const text = v.toString();
    return { ok: true, decimal: parseDecimal(text) as Decimal, value: Number(v) };
  }
  if (typeof v === 'string') {
    const text = pythonStrip(v);
    if (NON_FINITE_RE.test(text)) return { ok: false, code: 'amount_not_finite' };
    const decimal = parseDecimal(text);
    if (decimal === null) return { ok: false, code: 'amount_not_number' };
    return { ok: true, decimal, value: Number(text) };
  }
  return { ok: false, code: 'amount_not_number' };
}

/** A double for the answer; an out-of-range string value (e.g. "1e400") has none, so it saturates. */
function finiteFloat(x: number): PyFloat {
  return new PyFloat(Number.isFinite(x) ? x : x > 0 ? Number.MAX_VALUE : -Number.MAX_VALUE);
}

/** `amount_rtc` of a signed-transfer request: A (the signed float) and amount_i64 (the debit). */
export function parseRequestAmount(v: JsonValue): RequestAmount {
  const n = numericOf(v);
  if (!n.ok) return n;
  if (n.decimal.negative || n.decimal.digits === '') return { ok: false, code: 'amount_must_be_positive' };
  const amountI64 = truncMicro(n.decimal);
  if (amountI64 === 0n) return { ok: false, code: 'amount_too_small_after_quantization', signed: finiteFloat(n.value) };
  if (amountI64 > MAX_I64) return { ok: false, code: 'amount_exceeds_i64' };
  // In range here, so the double is finite; the debit must match what the signature covers (row 6a).
  const signed = new PyFloat(n.value);
  if (microOfFloat(signed.value) !== amountI64) return { ok: false, code: 'amount_precision_mismatch' };
  return { ok: true, signed, amountI64 };
}

export type RequestFee =
  | { ok: true; signed: PyFloat; isZero: boolean }
  | { ok: false; code: 'amount_not_number' | 'amount_not_finite' | 'fee_must_be_non_negative' };

/** `fee_rtc` (rows 7–8): absent means 0; like the reference, `null` and `""` are "not a number". */
export function parseRequestFee(v: JsonValue | undefined): RequestFee {
  if (v === undefined) return { ok: true, signed: new PyFloat(0), isZero: true };
  const n = numericOf(v);
  if (!n.ok) return n;
  const isZero = n.decimal.digits === '';
  if (n.decimal.negative && !isZero) return { ok: false, code: 'fee_must_be_non_negative' };
  return { ok: true, signed: finiteFloat(n.value), isZero };
}
