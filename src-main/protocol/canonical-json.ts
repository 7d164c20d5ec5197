/**
 * Python-compatible JSON (PROTOCOL.md A.4): a number- and order-preserving parser and the canonical
 * serialiser `json.dumps(obj, sort_keys=True, separators=(",", ":"))`.
 *
 * How a value is marked as a float (docs/decisions/canonical-json.md):
 *   - `PyFloat` instances are Python floats, always (so `PyFloat(2)` prints `2.0`);
 *   - a plain JS `number` that is not an integer is a float too (it can be nothing else);
 *   - a plain integral `number` and every `bigint` are Python ints.
 * The parser returns `PyFloat` for every float token, so `12.0` and `12` stay different after a parse.
 */
import { pythonFloatRepr } from './float-repr.js';

export class PyFloat {
  constructor(readonly value: number) {
    if (!Number.isFinite(value)) throw new RangeError(`non-finite float ${value}`);
  }
  valueOf(): number {
    return this.value;
  }
  toJSON(): number {
    return this.value;
  }
}

export type JsonValue = null | boolean | number | bigint | string | PyFloat | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export class JsonError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
    this.name = 'JsonError';
  }
}

/** Python refuses int strings above 4,300 digits; so do we (and it bounds BigInt parsing time). */
const MAX_INT_DIGITS = 4300;
/** Deep nesting must end in a clean error, never a stack overflow. */
export const MAX_JSON_DEPTH = 512;

export function isPyFloat(v: unknown): v is PyFloat {
  return v instanceof PyFloat;
}

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof PyFloat);
}

/** True when the value is a Python float (a `PyFloat` or a non-integral JS number). */
export function isFloatValue(v: unknown): v is PyFloat | number {
  return v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v));
}

/** True when the value is a Python int (a bigint or an integral JS number). */
export function isIntValue(v: unknown): v is number | bigint {
  return typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v));
}

/** Sets a key on a plain object without ever touching the prototype (`__proto__` is just a key). */
function setKey(obj: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parse(): JsonValue {
    if (this.text.charCodeAt(0) === 0xfeff) this.fail('a byte order mark is not JSON');
    this.skipWs();
    const v = this.value(0);
    this.skipWs();
    if (this.pos !== this.text.length) this.fail('trailing data after the JSON value');
    return v;
  }

  private fail(msg: string): never {
    throw new JsonError(`${msg} at position ${this.pos}`, this.pos);
  }

  private skipWs(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.pos++;
      else break;
    }
  }

  private value(depth: number): JsonValue {
    if (depth > MAX_JSON_DEPTH) this.fail('nesting too deep');
    const c = this.text.charCodeAt(this.pos);
    switch (c) {
      case 0x7b /* { */:
        return this.object(depth);
      case 0x5b /* [ */:
        return this.array(depth);
      case 0x22 /* " */:
        return this.string();
      case 0x74 /* t */:
        return this.literal('true', true);
      case 0x66 /* f */:
        return this.literal('false', false);
      case 0x6e /* n */:
        return this.literal('null', null);
      default:
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
        this.fail(Number.isNaN(c) ? 'unexpected end of input' : 'unexpected character');
    }
  }

  private literal<T extends JsonValue>(word: string, v: T): T {
    if (this.text.startsWith(word, this.pos)) {
      this.pos += word.length;
      return v;
    }
    this.fail('invalid literal');
  }

  private object(depth: number): JsonObject {
    this.pos++; // {
    const obj: JsonObject = {};
    this.skipWs();
    if (this.text.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      return obj;
    }
    for (;;) {
      this.skipWs();
      if (this.text.charCodeAt(this.pos) !== 0x22) this.fail('expected a string key');
      const key = this.string();
      this.skipWs();
      if (this.text.charCodeAt(this.pos) !== 0x3a) this.fail("expected ':'");
      this.pos++;
      this.skipWs();
      setKey(obj, key, this.value(depth + 1));
      this.skipWs();
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x2c) {
        this.pos++;
        continue;
      }
      if (c === 0x7d) {
        this.pos++;
        return obj;
      }
      this.fail("expected ',' or '}'");
    }
  }

  private array(depth: number): JsonValue[] {
    this.pos++; // [
    const arr: JsonValue[] = [];
    this.skipWs();
    if (this.text.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      return arr;
    }
    for (;;) {
      this.skipWs();
      arr.push(this.value(depth + 1));
      this.skipWs();
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x2c) {
        this.pos++;
        continue;
      }
      if (c === 0x5d) {
        this.pos++;
        return arr;
      }
      this.fail("expected ',' or ']'");
    }
  }

  private string(): string {
    const t = this.text;
    const start = ++this.pos; // opening quote
    // Fast path: no escapes.
    let i = start;
    for (; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (c === 0x22) {
        this.pos = i + 1;
        return t.slice(start, i);
      }
      if (c === 0x5c) break;
      if (c < 0x20) {
        this.pos = i;
        this.fail('raw control character in string');
      }
    }
    let out = t.slice(start, i);
    this.pos = i;
    for (;;) {
      if (this.pos >= t.length) this.fail('unterminated string');
      const c = t.charCodeAt(this.pos);
      if (c === 0x22) {
        this.pos++;
        return out;
      }
      if (c < 0x20) this.fail('raw control character in string');
      if (c !== 0x5c) {
        out += t[this.pos++];
        continue;
      }
      const e = t[this.pos + 1];
      this.pos += 2;
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          const hex = t.slice(this.pos, this.pos + 4);
          if (!/^[0-9A-Fa-f]{4}$/.test(hex)) this.fail('invalid \\u escape');
          out += String.fromCharCode(parseInt(hex, 16));
          this.pos += 4;
          break;
        }
        default:
          this.pos -= 2;
          this.fail('invalid escape');
      }
    }
  }

  private number(): number | bigint | PyFloat {
    const t = this.text;
    const start = this.pos;
    if (t.charCodeAt(this.pos) === 0x2d) this.pos++;
    const intStart = this.pos;
    const first = t.charCodeAt(this.pos);
    if (first === 0x30) {
      this.pos++;
      const next = t.charCodeAt(this.pos);
      if (next >= 0x30 && next <= 0x39) this.fail('leading zeros are not allowed');
    } else if (first >= 0x31 && first <= 0x39) {
      while (isDigit(t.charCodeAt(this.pos))) this.pos++;
    } else {
      this.fail('invalid number');
    }
    const intDigits = this.pos - intStart;
    let isFloat = false;
    if (t.charCodeAt(this.pos) === 0x2e) {
      isFloat = true;
      this.pos++;
      if (!isDigit(t.charCodeAt(this.pos))) this.fail('digits expected after the decimal point');
      while (isDigit(t.charCodeAt(this.pos))) this.pos++;
    }
    const ec = t.charCodeAt(this.pos);
    if (ec === 0x65 || ec === 0x45) {
      isFloat = true;
      this.pos++;
      const sc = t.charCodeAt(this.pos);
      if (sc === 0x2b || sc === 0x2d) this.pos++;
      if (!isDigit(t.charCodeAt(this.pos))) this.fail('digits expected in the exponent');
      while (isDigit(t.charCodeAt(this.pos))) this.pos++;
    }
    const text = t.slice(start, this.pos);
    if (isFloat) {
      const x = Number(text);
      if (!Number.isFinite(x)) this.fail('number out of the double range');
      return new PyFloat(x);
    }
    if (intDigits > MAX_INT_DIGITS) this.fail('integer has too many digits');
    if (intDigits <= 15) {
      const n = Number(text);
      return n === 0 ? 0 : n; // -0 is the integer 0
    }
    const big = BigInt(text);
    return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Parses RFC 8259 JSON text keeping ints and floats apart (A.4.1). Throws `JsonError`. */
export function parseJson(text: string): JsonValue {
  return new Parser(text).parse();
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Parses UTF-8 bytes; invalid UTF-8 is a `JsonError`, like any other malformed input. */
export function parseJsonBytes(bytes: Uint8Array): JsonValue {
  let text: string;
  try {
    text = utf8Decoder.decode(bytes);
  } catch {
    throw new JsonError('body is not valid UTF-8', 0);
  }
  return parseJson(text);
}

// ---------------------------------------------------------------------------------------------
// Serialisation
// ---------------------------------------------------------------------------------------------

const SAFE_STRING = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const HEX = '0123456789abcdef';

export function escapeJsonString(s: string): string {
  if (SAFE_STRING.test(s)) return '"' + s + '"';
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c) {
      out += s[i];
      continue;
    }
    switch (c) {
      case 0x22:
        out += '\\"';
        break;
      case 0x5c:
        out += '\\\\';
        break;
      case 0x08:
        out += '\\b';
        break;
      case 0x0c:
        out += '\\f';
        break;
      case 0x0a:
        out += '\\n';
        break;
      case 0x0d:
        out += '\\r';
        break;
      case 0x09:
        out += '\\t';
        break;
      default:
        out += '\\u' + HEX[(c >> 12) & 15] + HEX[(c >> 8) & 15] + HEX[(c >> 4) & 15] + HEX[c & 15];
    }
  }
  return out + '"';
}

/** Orders strings by Unicode code point (not UTF-16 code unit), as Python's `sorted` does. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca === cb) continue;
    if (ca < 0xd800 && cb < 0xd800) return ca - cb;
    const pa = a.codePointAt(i) ?? ca;
    const pb = b.codePointAt(i) ?? cb;
    return pa - pb;
  }
  return a.length - b.length;
}

function intText(v: number | bigint): string {
  if (typeof v === 'bigint') return v.toString();
  if (Number.isSafeInteger(v)) return v === 0 ? '0' : String(v);
  return BigInt(v).toString();
}

function serialise(v: JsonValue, itemSep: string, keySep: string, depth: number): string {
  if (depth > MAX_JSON_DEPTH) throw new RangeError('value nested too deeply to serialise');
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'string':
      return escapeJsonString(v);
    case 'bigint':
      return v.toString();
    case 'number':
      if (!Number.isFinite(v)) throw new RangeError(`non-finite number ${v} cannot be serialised`);
      return Number.isInteger(v) ? intText(v) : pythonFloatRepr(v);
    case 'object':
      break;
    default:
      throw new TypeError(`cannot serialise a ${typeof v}`);
  }
  if (v instanceof PyFloat) return pythonFloatRepr(v.value);
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out += itemSep;
      out += serialise(v[i] as JsonValue, itemSep, keySep, depth + 1);
    }
    return out + ']';
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) {
    throw new TypeError(`cannot serialise an instance of ${proto?.constructor?.name ?? 'unknown'}`);
  }
  const keys = Object.keys(v)
    .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
    .sort(compareCodePoints);
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    if (i > 0) out += itemSep;
    out += escapeJsonString(k) + keySep + serialise(v[k] as JsonValue, itemSep, keySep, depth + 1);
  }
  return out + '}';
}

/**
 * Canonical JSON text (A.4.2): sorted keys, `,` and `:`, ASCII only. Keys whose value is `undefined`
 * are left out (JavaScript convenience; Python has no such value).
 */
export function canonicalJson(v: JsonValue): string {
  return serialise(v, ',', ':', 0);
}

/** Python's default `json.dumps(obj, sort_keys=True)` layout (A.4.4): `, ` and `: `. */
export function spacedJson(v: JsonValue): string {
  return serialise(v, ', ', ': ', 0);
}

/** Canonical JSON as ASCII bytes (what gets signed or hashed). */
export function canonicalBytes(v: JsonValue): Uint8Array {
  const s = canonicalJson(v);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
