import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadVectors } from '../support/vectors.js';
import { bytesToHex, hexToBytes, sha256Hex, utf8 } from '../../src-main/protocol/bytes.js';
import {
  addressFromPublicKey,
  addressFromPublicKeyHex,
  ED25519_L,
  keyPairFromSeed,
  sign,
  verifyStrict,
} from '../../src-main/protocol/keys.js';
import { verifyFast } from '../../src-main/node/crypto/ed25519-fast.js';
import { ED25519_TORSION_SUBGROUP } from '@noble/curves/ed25519.js';

const P = 2n ** 255n - 19n;

function le32(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}
function fromLe(b: Uint8Array): bigint {
  let n = 0n;
  for (let i = b.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(b[i] as number);
  return n;
}

/** Both verifiers must give the same answer, and it must be `expected`. */
function agree(sig: Uint8Array, msg: Uint8Array, pub: Uint8Array, expected: boolean): void {
  expect(verifyStrict(sig, msg, pub)).toBe(expected);
  expect(verifyFast(sig, msg, pub)).toBe(expected);
}

const kp = keyPairFromSeed(new Uint8Array(32).fill(0x42));
const msg = utf8('{"amount":1.5,"nonce":"1"}');
const sig = sign(msg, kp.seed);

describe('verifyStrict and verifyFast agree', () => {
  it('valid signatures verify', () => {
    agree(sig, msg, kp.publicKey, true);
    for (let i = 0; i < 20; i++) {
      const k = keyPairFromSeed(new Uint8Array(32).fill(i));
      const m = utf8(`message ${i}`);
      agree(sign(m, k.seed), m, k.publicKey, true);
    }
  });
  it('wrong messages and flipped bits fail', () => {
    agree(sig, utf8('other'), kp.publicKey, false);
    for (let bit = 0; bit < 512; bit += 7) {
      const s = Uint8Array.from(sig);
      s[bit >> 3] = (s[bit >> 3] as number) ^ (1 << (bit & 7));
      agree(s, msg, kp.publicKey, false);
    }
    const pk = Uint8Array.from(kp.publicKey);
    pk[0] = (pk[0] as number) ^ 1;
    agree(sig, msg, pk, false);
  });
  it('S + L (malleated) fails', () => {
    const s = fromLe(sig.subarray(32)) + ED25519_L;
    expect(s < 2n ** 256n).toBe(true);
    const mal = new Uint8Array(64);
    mal.set(sig.subarray(0, 32));
    mal.set(le32(s), 32);
    agree(mal, msg, kp.publicKey, false);
  });
  it('non-canonical public key (y ≥ p) fails', () => {
    for (const y of [P, P + 1n, P + 2n, 2n ** 255n - 1n]) agree(sig, msg, le32(y), false);
  });
  it('small-order public keys and small-order R fail', () => {
    for (const hex of ED25519_TORSION_SUBGROUP) {
      const point = hexToBytes(hex);
      agree(sig, msg, point, false);
      const s = Uint8Array.from(sig);
      s.set(point, 0);
      agree(s, msg, kp.publicKey, false);
      // The classic forgery: small-order key, R = that point, S = 0.
      const forged = new Uint8Array(64);
      forged.set(point, 0);
      agree(forged, msg, point, false);
    }
  });
  it('wrong lengths fail without throwing', () => {
    agree(sig.subarray(0, 63), msg, kp.publicKey, false);
    agree(sig, msg, kp.publicKey.subarray(0, 31), false);
    agree(new Uint8Array(0), msg, new Uint8Array(0), false);
  });
  it('the vector forgeries non_canonical_s and small_order_key_forgery fail', () => {
    const v = loadVectors('signed-transfers');
    for (const name of ['non_canonical_s', 'small_order_key_forgery']) {
      const c = (v.cases as Array<{ name: string; body_text: string; signed_message: string }>).find(
        (x) => x.name === name,
      );
      expect(c).toBeDefined();
      const body = JSON.parse(c?.body_text as string) as { signature: string; public_key: string };
      agree(hexToBytes(body.signature), utf8(c?.signed_message as string), hexToBytes(body.public_key), false);
    }
  });
  it('fuzz: 2,000 mutated signatures get the same verdict from both', () => {
    let checked = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 63 }),
        fc.integer({ min: 1, max: 255 }),
        fc.integer({ min: 0, max: 3 }),
        (pos, xor, mode) => {
          const s = Uint8Array.from(sig);
          if (mode === 0) s[pos] = (s[pos] as number) ^ xor;
          else if (mode === 1) s[pos] = xor;
          else if (mode === 2) s.fill(xor, pos);
          else s.set(sig.subarray(32), 0); // R := S
          const strict = verifyStrict(s, msg, kp.publicKey);
          checked++;
          // A mutation that happens to leave the signature unchanged must still verify.
          const unchanged = bytesToHex(s) === bytesToHex(sig);
          return strict === verifyFast(s, msg, kp.publicKey) && strict === unchanged;
        },
      ),
      { numRuns: 2000 },
    );
    expect(checked).toBe(2000);
  });
});

describe('addresses.json', () => {
  const v = loadVectors('addresses');
  it('every seed gives its key and address', () => {
    const cases = v.cases as Array<{ seed: string; public_key: string; pubkey_sha256: string; address: string }>;
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) {
      const k = keyPairFromSeed(hexToBytes(c.seed));
      expect(bytesToHex(k.publicKey)).toBe(c.public_key);
      expect(sha256Hex(k.publicKey)).toBe(c.pubkey_sha256);
      expect(addressFromPublicKey(k.publicKey)).toBe(c.address);
      const m = utf8(c.address);
      agree(sign(m, k.seed), m, k.publicKey, true);
    }
  });
  it('pubkey_only', () => {
    for (const c of v.pubkey_only as Array<{ public_key: string; address: string }>) {
      expect(addressFromPublicKeyHex(c.public_key)).toBe(c.address);
    }
  });
});
