/**
 * Keystore files (PROTOCOL.md C.3): the reference CLI's version 1 (PBKDF2-HMAC-SHA256) and our
 * version 2 (scrypt), both AES-256-GCM over the 32-byte Ed25519 seed. This module only encodes and
 * decodes objects; files are written by keystore-files.ts.
 */
import { createCipheriv, createDecipheriv, pbkdf2, randomBytes, scrypt } from 'node:crypto';
import { bytesToHex, isHex } from '../protocol/bytes.js';
import { RTC_ADDRESS_FORMAT, addressFromPublicKey, keyPairFromSeed } from '../protocol/keys.js';
import { isDerivationRule, type DerivationRule } from '../protocol/mnemonic.js';

export type KeystoreFormat = 'v1' | 'v2';
export type KeystoreDerivation = DerivationRule | 'imported_seed' | 'random';

export interface ScryptParams {
  n: number;
  r: number;
  p: number;
  dklen: number;
}

/** Spec default (C.3.2); measured at 0.3–1 s here (docs/decisions/keystore-kdf.md). */
export const DEFAULT_SCRYPT: ScryptParams = { n: 131072, r: 8, p: 1, dklen: 32 };
export const V1_ITERATIONS = 100_000;

export interface KeystoreV1 {
  version: 1;
  name: string;
  address: string;
  public_key_hex: string;
  mnemonic_words: number;
  crypto: {
    cipher: 'AES-256-GCM';
    kdf: 'PBKDF2-HMAC-SHA256';
    kdf_iterations: number;
    salt_b64: string;
    nonce_b64: string;
    ciphertext_b64: string;
  };
  created_at: number;
}

export interface KeystoreV2 {
  version: 2;
  kind: 'rustchain-keystore';
  name: string;
  address: string;
  public_key_hex: string;
  derivation: KeystoreDerivation;
  crypto: {
    cipher: 'AES-256-GCM';
    kdf: 'scrypt';
    kdf_params: ScryptParams;
    salt_b64: string;
    nonce_b64: string;
    ciphertext_b64: string;
  };
  created_at: number;
}

/** A keystore after reading: the header fields every format has, and how to decrypt it. */
export interface ParsedKeystore {
  format: KeystoreFormat;
  name: string;
  address: string;
  publicKeyHex: string;
  /** v1 files do not record it. */
  derivation: KeystoreDerivation | null;
  createdAt: number | null;
  kdf: { kind: 'pbkdf2'; iterations: number } | { kind: 'scrypt'; params: ScryptParams };
  salt: Uint8Array;
  nonce: Uint8Array;
  ciphertext: Uint8Array;
  /** The file's object as read (import copies it unchanged). */
  original: Record<string, unknown>;
}

export type KeystoreErrorCode = 'wrong_password' | 'keystore_corrupt';

/** `wrong_password`: the GCM tag does not verify; `keystore_corrupt`: malformed, or the key does not match. */
export class KeystoreError extends Error {
  constructor(
    readonly code: KeystoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'KeystoreError';
  }
}

const corrupt = (why: string) => new KeystoreError('keystore_corrupt', `keystore is corrupt: ${why}`);

// ---------- reading ----------

const B64 = /^[A-Za-z0-9+/]*={0,2}$/;

function b64(crypto: Record<string, unknown>, names: string[], expectedLength: number | null): Uint8Array {
  for (const n of names) {
    const v = crypto[n];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string' || !B64.test(v) || v.length % 4 !== 0) throw corrupt(`"${n}" is not base64`);
    const bytes = new Uint8Array(Buffer.from(v, 'base64'));
    if (expectedLength !== null && bytes.length !== expectedLength) {
      throw corrupt(`"${n}" must be ${expectedLength} bytes, not ${bytes.length}`);
    }
    return bytes;
  }
  throw corrupt(`"${names[0]}" is missing`);
}

function positiveInt(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) throw corrupt(`${what} is not a positive integer`);
  return v;
}

/** Checks C.3.2's bounds; anything outside them is refused before any work is done. */
export function checkScryptParams(p: unknown): ScryptParams {
  if (typeof p !== 'object' || p === null) throw corrupt('"kdf_params" is missing');
  const o = p as Record<string, unknown>;
  const n = positiveInt(o['n'], 'kdf_params.n');
  const r = positiveInt(o['r'], 'kdf_params.r');
  const pp = positiveInt(o['p'], 'kdf_params.p');
  const dklen = positiveInt(o['dklen'], 'kdf_params.dklen');
  if ((n & (n - 1)) !== 0 || n < 2 ** 14 || n > 2 ** 20)
    throw corrupt('kdf_params.n must be a power of two in 2^14…2^20');
  if (r > 16) throw corrupt('kdf_params.r must be 1…16');
  if (pp > 4) throw corrupt('kdf_params.p must be 1…4');
  if (dklen !== 32) throw corrupt('kdf_params.dklen must be 32');
  return { n, r, p: pp, dklen };
}

function headerString(o: Record<string, unknown>, key: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw corrupt(`"${key}" is missing`);
  return v;
}

/** Validates a keystore object of either version (C.3); throws `keystore_corrupt` with the reason. */
export function parseKeystore(value: unknown): ParsedKeystore {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw corrupt('not a JSON object');
  const o = value as Record<string, unknown>;
  const version = o['version'];
  if (version !== 1 && version !== 2) throw corrupt(`unsupported keystore version ${JSON.stringify(version)}`);
  const address = headerString(o, 'address');
  if (!RTC_ADDRESS_FORMAT.test(address)) throw corrupt('"address" is not an RTC address');
  const publicKeyHex = headerString(o, 'public_key_hex');
  if (!isHex(publicKeyHex, 64)) throw corrupt('"public_key_hex" is not 64 hex digits');
  const name = typeof o['name'] === 'string' ? o['name'] : address;
  const createdAt = typeof o['created_at'] === 'number' ? o['created_at'] : null;
  const c = o['crypto'];
  if (typeof c !== 'object' || c === null || Array.isArray(c)) throw corrupt('"crypto" is missing');
  const crypto = c as Record<string, unknown>;
  if (crypto['cipher'] !== undefined && crypto['cipher'] !== 'AES-256-GCM') throw corrupt('cipher is not AES-256-GCM');

  if (version === 1) {
    if (crypto['kdf'] !== undefined && crypto['kdf'] !== 'PBKDF2-HMAC-SHA256')
      throw corrupt('kdf is not PBKDF2-HMAC-SHA256');
    const iterRaw = crypto['kdf_iterations'] ?? crypto['iterations'] ?? crypto['pbkdf2_iterations'] ?? V1_ITERATIONS;
    const iterations = positiveInt(iterRaw, 'kdf_iterations');
    if (iterations > 10_000_000) throw corrupt('kdf_iterations is unreasonably large');
    return {
      format: 'v1',
      name,
      address,
      publicKeyHex: publicKeyHex.toLowerCase(),
      derivation: null,
      createdAt,
      kdf: { kind: 'pbkdf2', iterations },
      salt: b64(crypto, ['salt_b64', 'salt'], null),
      nonce: b64(crypto, ['nonce_b64', 'nonce', 'iv_b64', 'iv'], 12),
      ciphertext: b64(crypto, ['ciphertext_b64', 'ciphertext', 'encrypted_private_key'], 48),
      original: o,
    };
  }
  if (crypto['kdf'] !== 'scrypt') throw corrupt('kdf is not scrypt');
  const derivation = o['derivation'];
  const knownDerivation =
    typeof derivation === 'string' &&
    (isDerivationRule(derivation) || derivation === 'imported_seed' || derivation === 'random');
  if (!knownDerivation) throw corrupt('"derivation" is not a known rule');
  return {
    format: 'v2',
    name,
    address,
    publicKeyHex: publicKeyHex.toLowerCase(),
    derivation: derivation as KeystoreDerivation,
    createdAt,
    kdf: { kind: 'scrypt', params: checkScryptParams(crypto['kdf_params']) },
    salt: b64(crypto, ['salt_b64'], null),
    nonce: b64(crypto, ['nonce_b64'], 12),
    ciphertext: b64(crypto, ['ciphertext_b64'], 48),
    original: o,
  };
}

/** Parses keystore file text; JSON errors are `keystore_corrupt`. */
export function parseKeystoreText(text: string): ParsedKeystore {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw corrupt('not valid JSON');
  }
  return parseKeystore(value);
}

// ---------- key derivation and AES-GCM ----------

function deriveKey(password: string, ks: Pick<ParsedKeystore, 'kdf' | 'salt'>): Promise<Buffer> {
  const pw = Buffer.from(password, 'utf8');
  return new Promise((resolve, reject) => {
    if (ks.kdf.kind === 'pbkdf2') {
      pbkdf2(pw, ks.salt, ks.kdf.iterations, 32, 'sha256', (err, key) => (err ? reject(err) : resolve(key)));
    } else {
      const { n, r, p, dklen } = ks.kdf.params;
      // scrypt needs 128·N·r bytes; leave headroom over the 256 MiB C.3.2 mentions for the largest N.
      const maxmem = 128 * n * r + 64 * 1024 * 1024;
      scrypt(pw, ks.salt, dklen, { N: n, r, p, maxmem }, (err, key) => (err ? reject(err) : resolve(key)));
    }
  });
}

/** Decrypts and checks the key against the header (C.3); returns the 32-byte seed. */
export async function decryptKeystore(ks: ParsedKeystore, password: string): Promise<Uint8Array> {
  const key = await deriveKey(password, ks);
  let seed: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, ks.nonce);
    decipher.setAuthTag(ks.ciphertext.subarray(32));
    seed = Buffer.concat([decipher.update(ks.ciphertext.subarray(0, 32)), decipher.final()]);
  } catch {
    throw new KeystoreError('wrong_password', 'wrong password (the keystore does not decrypt)');
  } finally {
    key.fill(0);
  }
  const out = new Uint8Array(seed);
  seed.fill(0);
  const { publicKey } = keyPairFromSeed(out);
  if (
    bytesToHex(publicKey) !== ks.publicKeyHex ||
    addressFromPublicKey(publicKey) !== 'RTC' + ks.address.slice(3).toLowerCase()
  ) {
    out.fill(0);
    throw corrupt('the decrypted key does not match public_key_hex/address');
  }
  return out;
}

export interface EncryptOptions {
  format: KeystoreFormat;
  name: string;
  derivation: KeystoreDerivation;
  scrypt?: ScryptParams;
  /** Unix seconds; default now. */
  createdAt?: number;
}

/** Encrypts a seed into a new keystore object with a fresh salt and nonce. */
export async function encryptKeystore(
  seed: Uint8Array,
  password: string,
  opts: EncryptOptions,
): Promise<KeystoreV1 | KeystoreV2> {
  const { publicKey } = keyPairFromSeed(seed);
  const address = addressFromPublicKey(publicKey);
  const publicKeyHex = bytesToHex(publicKey);
  const createdAt = opts.createdAt ?? Math.floor(Date.now() / 1000);
  const nonce = new Uint8Array(randomBytes(12));
  const salt = new Uint8Array(randomBytes(opts.format === 'v1' ? 16 : 32));
  const params = opts.scrypt ?? DEFAULT_SCRYPT;
  const kdf: ParsedKeystore['kdf'] =
    opts.format === 'v1'
      ? { kind: 'pbkdf2', iterations: V1_ITERATIONS }
      : { kind: 'scrypt', params: checkScryptParams(params) };
  const key = await deriveKey(password, { kdf, salt });
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  const ciphertext = Buffer.concat([cipher.update(seed), cipher.final(), cipher.getAuthTag()]);
  key.fill(0);
  const enc = (b: Uint8Array) => Buffer.from(b).toString('base64');
  if (opts.format === 'v1') {
    return {
      version: 1,
      name: opts.name,
      address,
      public_key_hex: publicKeyHex,
      mnemonic_words: 24,
      crypto: {
        cipher: 'AES-256-GCM',
        kdf: 'PBKDF2-HMAC-SHA256',
        kdf_iterations: V1_ITERATIONS,
        salt_b64: enc(salt),
        nonce_b64: enc(nonce),
        ciphertext_b64: enc(ciphertext),
      },
      created_at: createdAt,
    };
  }
  return {
    version: 2,
    kind: 'rustchain-keystore',
    name: opts.name,
    address,
    public_key_hex: publicKeyHex,
    derivation: opts.derivation,
    crypto: {
      cipher: 'AES-256-GCM',
      kdf: 'scrypt',
      kdf_params: { ...params },
      salt_b64: enc(salt),
      nonce_b64: enc(nonce),
      ciphertext_b64: enc(ciphertext),
    },
    created_at: createdAt,
  };
}
