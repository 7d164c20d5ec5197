/**
 * Ed25519 verification through OpenSSL (node:crypto), with the libsodium semantics of A.3.
 *
 * OpenSSL's verify already uses the cofactorless equation and refuses S ≥ L; the remaining libsodium
 * rules (non-canonical or small-order public key, small-order R) are the shared byte pre-checks, so this
 * path and `verifyStrict` agree on every input (test/protocol/ed25519.test.ts checks that).
 */
import { createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { passesStrictPrechecks, type Verifier } from '../../protocol/keys.js';

/** DER SubjectPublicKeyInfo header for an Ed25519 key (RFC 8410); the raw 32 bytes follow. */
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const CACHE_LIMIT = 16_384;

/** Building a KeyObject costs about as much as a verification; miners and wallets sign repeatedly. A few
 * thousand active miners cycling through a smaller LRU would miss on every call, hence 16k entries. */
const keyCache = new Map<string, KeyObject>();

function keyObjectOf(publicKey: Uint8Array): KeyObject {
  const id = Buffer.from(publicKey).toString('hex');
  const cached = keyCache.get(id);
  if (cached !== undefined) {
    keyCache.delete(id); // re-insert: Map order is the recency order
    keyCache.set(id, cached);
    return cached;
  }
  const key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
  keyCache.set(id, key);
  if (keyCache.size > CACHE_LIMIT) {
    const oldest = keyCache.keys().next().value;
    if (oldest !== undefined) keyCache.delete(oldest);
  }
  return key;
}

export const verifyFast: Verifier = (signature, message, publicKey) => {
  if (!passesStrictPrechecks(signature, publicKey)) return false;
  try {
    return cryptoVerify(null, message, keyObjectOf(publicKey), signature);
  } catch {
    return false;
  }
};
