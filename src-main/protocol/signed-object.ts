/**
 * Signed objects of PROTOCOL.md B.7.3 and B.8.3: a `signature` over the canonical JSON of the object
 * without its `signature` key, and exactly the listed keys, so each object has one encoding and a
 * signature made for one type cannot be reused as another.
 */
import { canonicalBytes, isJsonObject, type JsonObject, type JsonValue } from './canonical-json.js';
import { bytesToHex, hexToBytes } from './bytes.js';
import { keyPairFromSeed, sign, verifyStrict, type Verifier } from './keys.js';

export const HEX64 = /^[0-9a-f]{64}$/;
export const HEX128 = /^[0-9a-f]{128}$/;
export const HEX32 = /^[0-9a-f]{32}$/;

/** True when `o` has exactly `keys` (no more, no fewer). */
export function hasExactKeys(o: JsonObject, keys: readonly string[]): boolean {
  const own = Object.keys(o);
  return own.length === keys.length && keys.every((k) => Object.prototype.hasOwnProperty.call(o, k));
}

export function isSafeInt(v: JsonValue | undefined): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v);
}

export function signingBytes(o: JsonObject): Uint8Array {
  const rest: JsonObject = {};
  for (const k of Object.keys(o)) if (k !== 'signature') rest[k] = o[k] as JsonValue;
  return canonicalBytes(rest);
}

export function publicKeyHexFromSeed(seed: Uint8Array): string {
  return bytesToHex(keyPairFromSeed(seed).publicKey);
}

/** Returns `unsigned` plus a `signature` made with `seed`. */
export function signObject<T extends JsonObject>(unsigned: T, seed: Uint8Array): T & { signature: string } {
  const signature = bytesToHex(sign(signingBytes(unsigned), seed));
  return { ...unsigned, signature };
}

/** Verifies `o.signature` (128 lower-case hex) against the key hex in `o[keyField]` (64 lower-case hex). */
export function verifyObjectSignature(o: JsonObject, keyField: string, verify: Verifier = verifyStrict): boolean {
  const sig = o.signature;
  const key = o[keyField];
  if (typeof sig !== 'string' || !HEX128.test(sig) || typeof key !== 'string' || !HEX64.test(key)) return false;
  return verify(hexToBytes(sig), signingBytes(o), hexToBytes(key));
}

export function asObject(v: JsonValue | undefined): JsonObject | null {
  return isJsonObject(v) ? v : null;
}
