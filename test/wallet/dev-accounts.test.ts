import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src-main/protocol/bytes.js';
import {
  DEV_ACCOUNT_AMOUNT_I64,
  DEV_CHAIN_ID,
  DEV_MNEMONIC,
  devAccounts,
} from '../../src-main/protocol/dev-accounts.js';
import { loadVectors } from '../support/vectors.js';

interface DevVectors {
  mnemonic: string;
  chain_id: string;
  allocation_total_i64: number;
  accounts: {
    index: number;
    passphrase: string;
    ed25519_seed: string;
    public_key: string;
    address: string;
    amount_i64: number;
  }[];
}

const v: DevVectors = loadVectors('dev-accounts');

describe('dev accounts (B.0)', () => {
  it('matches the vector mnemonic and chain id', () => {
    expect(DEV_MNEMONIC).toBe(v.mnemonic);
    expect(DEV_CHAIN_ID).toBe(v.chain_id);
    expect(DEV_ACCOUNT_AMOUNT_I64 * v.accounts.length).toBe(v.allocation_total_i64);
  });

  it('derives the ten accounts exactly', () => {
    const ours = devAccounts();
    expect(ours).toHaveLength(v.accounts.length);
    v.accounts.forEach((expected, i) => {
      const a = ours[i]!;
      expect(a.index).toBe(expected.index);
      expect(a.passphrase).toBe(expected.passphrase);
      expect(bytesToHex(a.seed)).toBe(expected.ed25519_seed);
      expect(a.publicKey).toBe(expected.public_key);
      expect(a.address).toBe(expected.address);
      expect(expected.amount_i64).toBe(DEV_ACCOUNT_AMOUNT_I64);
    });
  });

  it('hands out copies of the seeds', () => {
    const first = devAccounts();
    first[0]!.seed.fill(0);
    expect(bytesToHex(devAccounts()[0]!.seed)).toBe(v.accounts[0]!.ed25519_seed);
  });
});
