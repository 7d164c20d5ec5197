/**
 * Validator and node key files (PROTOCOL.md E.2):
 * `{"version":1,"kind":"rustchain-validator-key"|"rustchain-node-key","public_key","secret_seed"}`,
 * created with a fresh key and mode 0600 when missing. The seed never leaves this module except to sign.
 */
import { existsSync, readFileSync } from 'node:fs';
import { bytesToHex, hexToBytes } from '../../protocol/bytes.js';
import { generateSeed, keyPairFromSeed } from '../../protocol/keys.js';
import { createFileAtomic } from '../../platform/atomic-file.js';

export type KeyKind = 'rustchain-validator-key' | 'rustchain-node-key';

export interface KeyFile {
  publicKey: string;
  seed: Uint8Array;
  created: boolean;
}

export class KeyFileError extends Error {}

export function readOrCreateKeyFile(path: string, kind: KeyKind): KeyFile {
  if (!existsSync(path)) {
    const seed = generateSeed();
    const publicKey = bytesToHex(keyPairFromSeed(seed).publicKey);
    const text = JSON.stringify({ version: 1, kind, public_key: publicKey, secret_seed: bytesToHex(seed) }) + '\n';
    try {
      createFileAtomic(path, text, 0o600);
    } catch (err) {
      throw new KeyFileError(`cannot create key file ${path}: ${(err as Error).message}`);
    }
    return { publicKey, seed, created: true };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new KeyFileError(`key file ${path} is not readable JSON: ${(err as Error).message}`);
  }
  const o = parsed as Record<string, unknown>;
  if (
    typeof o !== 'object' ||
    o === null ||
    o.version !== 1 ||
    o.kind !== kind ||
    typeof o.secret_seed !== 'string' ||
    !/^[0-9a-fA-F]{64}$/.test(o.secret_seed)
  ) {
    throw new KeyFileError(`key file ${path} is not a ${kind} file`);
  }
  const seed = hexToBytes(o.secret_seed.toLowerCase());
  const publicKey = bytesToHex(keyPairFromSeed(seed).publicKey);
  if (typeof o.public_key === 'string' && o.public_key.toLowerCase() !== publicKey) {
    throw new KeyFileError(`key file ${path}: public_key does not match secret_seed`);
  }
  return { publicKey, seed, created: false };
}
