/**
 * Ed25519 keys, signatures and RTC addresses (PROTOCOL.md A.3).
 *
 * Verification follows libsodium's `crypto_sign_verify_detached`: canonical S (< L), a canonical public
 * key that is not of small order, an R that is not of small order, and the cofactorless equation
 * checked by re-encoding [S]B − [k]A and comparing with R byte for byte. noble's own `verify` uses the
 * cofactored equation, so the equation is computed here from its point arithmetic.
 */
import { ed25519, ED25519_TORSION_SUBGROUP } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { bytesToHex, concatBytes, equalBytes, hexToBytes, sha256Hex } from './bytes.js';

export const ED25519_L = 2n ** 252n + 27742317777372353535851937790883648493n;
const P = 2n ** 255n - 19n;

export interface KeyPair {
  /** 32-byte Ed25519 seed (the private key). */
  seed: Uint8Array;
  publicKey: Uint8Array;
}

export function keyPairFromSeed(seed: Uint8Array): KeyPair {
  if (seed.length !== 32) throw new Error('an Ed25519 seed is 32 bytes');
  return { seed, publicKey: ed25519.getPublicKey(seed) };
}

export function generateSeed(): Uint8Array {
  return ed25519.utils.randomSecretKey();
}

export function sign(message: Uint8Array, seed: Uint8Array): Uint8Array {
  return ed25519.sign(message, seed);
}

/** `"RTC"` + first 40 hex of SHA-256(public key). */
export function addressFromPublicKey(publicKey: Uint8Array): string {
  return 'RTC' + sha256Hex(publicKey).slice(0, 40);
}

export function addressFromPublicKeyHex(publicKeyHex: string): string {
  return addressFromPublicKey(hexToBytes(publicKeyHex));
}

export const RTC_ADDRESS_FORMAT = /^RTC[0-9A-Fa-f]{40}$/;
export const RTC_ADDRESS = /^RTC[0-9a-f]{40}$/;

export function isRtcAddress(s: string): boolean {
  return RTC_ADDRESS.test(s);
}

function littleEndianToBigInt(b: Uint8Array): bigint {
  let n = 0n;
  for (let i = b.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(b[i] as number);
  return n;
}

function bigIntTo32LE(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}

/** Encodings (sign bit ignored) of the points of small order, as libsodium's blacklist has them. */
const SMALL_ORDER_Y: Uint8Array[] = (() => {
  const seen = new Set<string>();
  const out: Uint8Array[] = [];
  const add = (b: Uint8Array) => {
    const c = Uint8Array.from(b);
    c[31] = (c[31] as number) & 0x7f;
    const k = bytesToHex(c);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(c);
    }
  };
  for (const hex of ED25519_TORSION_SUBGROUP) add(hexToBytes(hex));
  add(bigIntTo32LE(P)); // non-canonical 0
  add(bigIntTo32LE(P + 1n)); // non-canonical 1
  return out;
})();

export function hasSmallOrder(encoded: Uint8Array): boolean {
  for (const bad of SMALL_ORDER_Y) {
    let diff = 0;
    for (let i = 0; i < 31; i++) diff |= (encoded[i] as number) ^ (bad[i] as number);
    diff |= ((encoded[31] as number) & 0x7f) ^ (bad[31] as number);
    if (diff === 0) return true;
  }
  return false;
}

/** y < p (the sign bit is not part of y). */
export function isCanonicalPointEncoding(encoded: Uint8Array): boolean {
  const c = Uint8Array.from(encoded);
  c[31] = (c[31] as number) & 0x7f;
  return littleEndianToBigInt(c) < P;
}

export function isCanonicalScalar(s: Uint8Array): boolean {
  return littleEndianToBigInt(s) < ED25519_L;
}

/**
 * The libsodium pre-checks that cost only byte comparisons. Both verification paths (this pure one
 * and the node's OpenSSL one) run them first, so they agree on every edge case.
 */
export function passesStrictPrechecks(signature: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== 64 || publicKey.length !== 32) return false;
  if (!isCanonicalScalar(signature.subarray(32))) return false;
  if (!isCanonicalPointEncoding(publicKey) || hasSmallOrder(publicKey)) return false;
  if (hasSmallOrder(signature.subarray(0, 32))) return false;
  return true;
}

/** A verifier with libsodium semantics; the node may inject a faster one with the same semantics. */
export type Verifier = (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array) => boolean;

export const verifyStrict: Verifier = (signature, message, publicKey) => {
  if (!passesStrictPrechecks(signature, publicKey)) return false;
  try {
    const Point = ed25519.Point;
    const A = Point.fromBytes(publicKey, false);
    const R = signature.subarray(0, 32);
    const S = littleEndianToBigInt(signature.subarray(32));
    const k = littleEndianToBigInt(sha512(concatBytes(R, publicKey, message))) % ED25519_L;
    const SB = S === 0n ? Point.ZERO : Point.BASE.multiply(S);
    const kA = k === 0n ? Point.ZERO : A.multiplyUnsafe(k);
    const check = SB.subtract(kA).toBytes();
    return equalBytes(check, R);
  } catch {
    return false;
  }
};

/** Hex convenience: malformed hex is simply "does not verify". */
export function verifyHex(
  signatureHex: string,
  message: Uint8Array,
  publicKeyHex: string,
  verify: Verifier = verifyStrict,
): boolean {
  let sig: Uint8Array;
  let pub: Uint8Array;
  try {
    sig = hexToBytes(signatureHex);
    pub = hexToBytes(publicKeyHex);
  } catch {
    return false;
  }
  return verify(sig, message, pub);
}
