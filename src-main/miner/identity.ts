/**
 * Miner identity (PROTOCOL.md D.2): the per-install key `<home>/miner/miner_key.json` (mode 0600,
 * created once) or a decrypted wallet keystore. Secrets stay in memory and are never logged.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bytesToHex, hexToBytes, isHex } from '../protocol/bytes.js';
import { addressFromPublicKey, generateSeed, keyPairFromSeed, sign } from '../protocol/keys.js';
import { createFileAtomic } from '../platform/atomic-file.js';

export interface MinerIdentity {
  /** MINER: the account that earns. */
  address: string;
  publicKeyHex: string;
  source: 'miner_key' | 'keystore';
  sign(message: Uint8Array): Uint8Array;
}

export class MinerKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MinerKeyError';
  }
}

export function minerKeyPath(home: string): string {
  return join(home, 'miner', 'miner_key.json');
}

export function identityFromSeed(seed: Uint8Array, source: MinerIdentity['source']): MinerIdentity {
  const kp = keyPairFromSeed(seed);
  const secret = Uint8Array.from(seed);
  return {
    address: addressFromPublicKey(kp.publicKey),
    publicKeyHex: bytesToHex(kp.publicKey),
    source,
    sign: (message) => sign(message, secret),
  };
}

function readMinerKey(path: string): MinerIdentity {
  let obj: unknown;
  try {
    obj = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new MinerKeyError(`${path} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const o = obj as Record<string, unknown>;
  if (o['kind'] !== 'rustchain-miner-key' || o['version'] !== 1)
    throw new MinerKeyError(`${path} is not a version 1 miner key`);
  const seedHex = o['secret_seed'];
  if (typeof seedHex !== 'string' || seedHex.length !== 64 || !isHex(seedHex)) {
    throw new MinerKeyError(`${path} has no usable secret_seed (an OS-encrypted key needs the desktop app)`);
  }
  const id = identityFromSeed(hexToBytes(seedHex), 'miner_key');
  if (typeof o['public_key'] === 'string' && o['public_key'].toLowerCase() !== id.publicKeyHex) {
    throw new MinerKeyError(`${path}: public_key does not match secret_seed`);
  }
  return id;
}

/** Loads the per-install key, creating it from a CSPRNG the first time. */
export function loadOrCreateMinerKey(home: string, now: () => number = Date.now): MinerIdentity {
  const path = minerKeyPath(home);
  if (existsSync(path)) return readMinerKey(path);
  mkdirSync(join(home, 'miner'), { recursive: true, mode: 0o700 });
  const seed = generateSeed();
  const id = identityFromSeed(seed, 'miner_key');
  const file = {
    version: 1,
    kind: 'rustchain-miner-key',
    public_key: id.publicKeyHex,
    secret_seed: bytesToHex(seed),
    created_at: Math.floor(now() / 1000),
  };
  try {
    createFileAtomic(path, JSON.stringify(file, null, 2) + '\n', 0o600);
  } catch (e) {
    // another process created it first: use that one
    if (existsSync(path)) return readMinerKey(path);
    throw e;
  }
  return id;
}
