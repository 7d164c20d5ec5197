/**
 * ASCII-only text helpers of PROTOCOL.md B.1.1. JavaScript, Python and different Unicode versions
 * disagree on non-ASCII trimming and case mapping, so consensus code never uses `trim()`,
 * `toLowerCase()` or Unicode-aware classes: only U+0009–U+000D and U+0020 are whitespace, and only A–Z
 * and a–z change case.
 */
import { isJsonObject, type JsonObject, type JsonValue } from '../canonical-json.js';

function isAsciiSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

export function asciiTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isAsciiSpace(s.charCodeAt(start))) start++;
  while (end > start && isAsciiSpace(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

export function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

export function asciiUpper(s: string): string {
  return s.replace(/[a-z]+/g, (m) => m.toUpperCase());
}

/** Splits on every character outside `[a-z0-9]`, dropping empty parts (input is already lower-cased). */
export function asciiWords(s: string): string[] {
  return s.split(/[^a-z0-9]+/).filter((w) => w.length > 0);
}

/** `str(v)` of B.1.1: the trimmed string, or "" for anything that is not a string. */
export function str(v: JsonValue | undefined): string {
  return typeof v === 'string' ? asciiTrim(v) : '';
}

/** The object at `key`, or an empty object when it is absent or not an object. */
export function objectAt(obj: JsonObject | undefined, key: string): JsonObject {
  const v = obj === undefined ? undefined : own(obj, key);
  return isJsonObject(v) ? v : {};
}

/** Own-property lookup, so keys such as `constructor` never reach the prototype. */
export function own(obj: JsonObject, key: string): JsonValue | undefined {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}
