import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../../src-main/protocol/bytes.js';
import { addressFromPublicKey, keyPairFromSeed } from '../../src-main/protocol/keys.js';
import {
  DERIVATION_RULES,
  MnemonicError,
  bip39Seed,
  deriveSeed,
  mnemonicFromEntropy,
  normaliseMnemonic,
  suggestWords,
  validateMnemonic,
  type DerivationRule,
} from '../../src-main/protocol/mnemonic.js';
import { loadVectors } from '../support/vectors.js';

interface RuleResult {
  ed25519_seed: string;
  public_key: string;
  address: string;
}
interface MnemonicVectors {
  cases: {
    mnemonic: string;
    passphrase: string;
    word_count?: number;
    normalised_mnemonic: string;
    bip39_seed: string;
    rules: Record<DerivationRule, RuleResult>;
  }[];
  invalid: { mnemonic: string; reason: string }[];
}

const v: MnemonicVectors = loadVectors('mnemonic-derivations');

describe('mnemonic derivations (C.1, C.2)', () => {
  it('has cases for every rule', () => {
    expect(v.cases.length).toBeGreaterThanOrEqual(10);
    for (const c of v.cases) expect(Object.keys(c.rules).sort()).toEqual([...DERIVATION_RULES].sort());
  });

  for (const c of v.cases) {
    it(`${c.normalised_mnemonic.split(' ').slice(0, 3).join(' ')}… (${c.normalised_mnemonic.split(' ').length} words, passphrase ${JSON.stringify(c.passphrase)})`, () => {
      expect(normaliseMnemonic(c.mnemonic)).toBe(c.normalised_mnemonic);
      expect(validateMnemonic(c.mnemonic)).toBe(c.normalised_mnemonic);
      if (c.word_count !== undefined) expect(c.normalised_mnemonic.split(' ')).toHaveLength(c.word_count);
      expect(bytesToHex(bip39Seed(c.mnemonic, c.passphrase))).toBe(c.bip39_seed);
      for (const rule of DERIVATION_RULES) {
        const expected = c.rules[rule];
        const seed = deriveSeed(rule, c.mnemonic, c.passphrase);
        expect(bytesToHex(seed), rule).toBe(expected.ed25519_seed);
        const { publicKey } = keyPairFromSeed(seed);
        expect(bytesToHex(publicKey), rule).toBe(expected.public_key);
        expect(addressFromPublicKey(publicKey), rule).toBe(expected.address);
      }
    });
  }

  it('includes a messy-input case (case, tabs, newlines, repeated spaces)', () => {
    const messy = v.cases.filter((c) => c.mnemonic !== c.normalised_mnemonic);
    expect(messy.length).toBeGreaterThan(0);
  });

  it('mobile_sha256_path ignores the passphrase, the other rules do not', () => {
    const m = v.cases[0]!.mnemonic;
    expect(deriveSeed('mobile_sha256_path', m, 'x')).toEqual(deriveSeed('mobile_sha256_path', m, ''));
    expect(deriveSeed('lightclient_sha256', m, 'x')).not.toEqual(deriveSeed('lightclient_sha256', m, ''));
    expect(deriveSeed('cli_slip10_master', m, 'x')).not.toEqual(deriveSeed('cli_slip10_master', m, ''));
  });

  for (const bad of v.invalid) {
    it(`refuses an invalid phrase (${bad.reason})`, () => {
      let caught: unknown;
      try {
        validateMnemonic(bad.mnemonic);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(MnemonicError);
      const err = caught as MnemonicError;
      expect(err.code).toBe('invalid_mnemonic');
      expect(err.reason).toBe(bad.reason);
      expect(() => deriveSeed('lightclient_sha256', bad.mnemonic)).toThrow(MnemonicError);
    });
  }

  it('unknown words come with suggestions', () => {
    const phrase = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandn about';
    try {
      validateMnemonic(phrase);
      expect.unreachable();
    } catch (e) {
      const err = e as MnemonicError;
      expect(err.reason).toBe('unknown_word');
      expect(err.unknownWords).toHaveLength(1);
      expect(err.unknownWords[0]!.index).toBe(10);
      expect(err.unknownWords[0]!.suggestions).toContain('abandon');
    }
  });

  it('refuses an empty phrase', () => {
    expect(() => validateMnemonic('  \n\t ')).toThrow(MnemonicError);
  });

  it('suggests by prefix, then by edit distance', () => {
    expect(suggestWords('aba')).toEqual(['abandon']);
    expect(suggestWords('zo')).toEqual(['zone', 'zoo']);
    expect(suggestWords('ABILIT')).toEqual(['ability']);
    expect(suggestWords('abandn')).toContain('abandon');
    expect(suggestWords('')).toEqual([]);
    expect(suggestWords('qqqqqqqqqq')).toEqual([]);
  });

  it('entropy → mnemonic reproduces the vector phrases (BIP39 test entropy)', () => {
    expect(mnemonicFromEntropy(new Uint8Array(16))).toBe(v.cases[0]!.normalised_mnemonic);
    expect(mnemonicFromEntropy(new Uint8Array(32))).toBe(v.cases[1]!.normalised_mnemonic);
    expect(mnemonicFromEntropy(hexToBytes('7f'.repeat(16)))).toBe(
      'legal winner thank year wave sausage worth useful legal winner thank yellow',
    );
    expect(() => mnemonicFromEntropy(new Uint8Array(15))).toThrow();
  });

  it('every 32-byte entropy gives a valid 24-word phrase', () => {
    for (let i = 0; i < 20; i++) {
      const entropy = Uint8Array.from({ length: 32 }, (_, j) => (i * 37 + j * 11) & 0xff);
      const m = mnemonicFromEntropy(entropy);
      expect(m.split(' ')).toHaveLength(24);
      expect(validateMnemonic(m)).toBe(m);
    }
  });
});
