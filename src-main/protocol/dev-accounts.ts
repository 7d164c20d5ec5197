/**
 * The ten dev-mode accounts (PROTOCOL.md B.0): the public development mnemonic under
 * `lightclient_sha256`, account 0 with the empty BIP39 passphrase and account i with the passphrase
 * "<i>". These keys are public — development only.
 */
import { bytesToHex } from './bytes.js';
import { addressFromPublicKey, keyPairFromSeed } from './keys.js';
import { deriveSeed } from './mnemonic.js';

export const DEV_MNEMONIC = 'test test test test test test test test test test test junk';
export const DEV_CHAIN_ID = 'rustchain-devnet-dev';
export const DEV_ACCOUNT_COUNT = 10;
/** 100,000 RTC in µRTC per dev account. */
export const DEV_ACCOUNT_AMOUNT_I64 = 100_000_000_000;

export interface DevAccount {
  index: number;
  passphrase: string;
  /** 32-byte Ed25519 seed. */
  seed: Uint8Array;
  publicKey: string;
  address: string;
}

let cached: readonly DevAccount[] | undefined;

/** Derivation costs ten PBKDF2 runs, so the result is computed once; callers get fresh seed copies. */
export function devAccounts(): DevAccount[] {
  cached ??= Array.from({ length: DEV_ACCOUNT_COUNT }, (_, index) => {
    const passphrase = index === 0 ? '' : String(index);
    const seed = deriveSeed('lightclient_sha256', DEV_MNEMONIC, passphrase);
    const { publicKey } = keyPairFromSeed(seed);
    return { index, passphrase, seed, publicKey: bytesToHex(publicKey), address: addressFromPublicKey(publicKey) };
  });
  return cached.map((a) => ({ ...a, seed: Uint8Array.from(a.seed) }));
}
