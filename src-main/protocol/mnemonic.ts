/**
 * BIP39 mnemonics and the three RustChain key-derivation rules (PROTOCOL.md C.1, C.2).
 *
 * Pure: the caller supplies entropy (the wallet passes CSPRNG bytes), so this module runs unchanged in a
 * browser and in tests.
 */
import { entropyToMnemonic, mnemonicToEntropy } from '@scure/bip39';
import { wordlist as ENGLISH } from '@scure/bip39/wordlists/english.js';
import { hmac } from '@noble/hashes/hmac.js';
import { pbkdf2 } from '@noble/hashes/pbkdf2.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { asciiBytes, sha256Bytes, utf8 } from './bytes.js';

export const DERIVATION_RULES = ['lightclient_sha256', 'cli_slip10_master', 'mobile_sha256_path'] as const;
export type DerivationRule = (typeof DERIVATION_RULES)[number];

export const MNEMONIC_WORD_COUNTS = [12, 15, 18, 21, 24] as const;
export const MOBILE_PATH = "m/44'/0'/0'/0'/0'";

export const ENGLISH_WORDLIST: readonly string[] = ENGLISH;
const WORD_INDEX = new Map<string, number>(ENGLISH.map((w, i) => [w, i]));

export type MnemonicProblem = 'empty' | 'word_count' | 'unknown_word' | 'checksum';

export interface UnknownWord {
  /** 0-based position in the normalised phrase. */
  index: number;
  word: string;
  suggestions: string[];
}

/** Refusal of a phrase (`invalid_mnemonic`, C.1); `reason` says which rule failed. */
export class MnemonicError extends Error {
  readonly code = 'invalid_mnemonic';
  constructor(
    readonly reason: MnemonicProblem,
    message: string,
    readonly wordCount: number,
    readonly unknownWords: UnknownWord[] = [],
  ) {
    super(message);
    this.name = 'MnemonicError';
  }
}

/** C.1 input normalisation: NFKD, trim, lower-case, every whitespace run → one ASCII space. */
export function normaliseMnemonic(input: string): string {
  return input.normalize('NFKD').trim().toLowerCase().split(/\s+/u).filter(Boolean).join(' ');
}

export function isWordInList(word: string): boolean {
  return WORD_INDEX.has(word);
}

/**
 * Validates a phrase and returns its normalised form; throws `MnemonicError` naming the first failing
 * rule (count, then unknown words with suggestions, then checksum).
 */
export function validateMnemonic(input: string): string {
  const normalised = normaliseMnemonic(input);
  const words = normalised === '' ? [] : normalised.split(' ');
  if (words.length === 0) throw new MnemonicError('empty', 'the recovery phrase is empty', 0);
  if (!(MNEMONIC_WORD_COUNTS as readonly number[]).includes(words.length)) {
    throw new MnemonicError(
      'word_count',
      `a recovery phrase has 12, 15, 18, 21 or 24 words, not ${words.length}`,
      words.length,
    );
  }
  const unknown: UnknownWord[] = [];
  words.forEach((word, index) => {
    if (!WORD_INDEX.has(word)) unknown.push({ index, word, suggestions: suggestWords(word) });
  });
  if (unknown.length > 0) {
    const list = unknown.map((u) => `${u.index + 1} ("${u.word}")`).join(', ');
    throw new MnemonicError('unknown_word', `not in the BIP39 English word list: word ${list}`, words.length, unknown);
  }
  try {
    mnemonicToEntropy(normalised, ENGLISH);
  } catch {
    throw new MnemonicError(
      'checksum',
      'the recovery phrase checksum does not match (a word is wrong or misplaced)',
      words.length,
    );
  }
  return normalised;
}

export function isValidMnemonic(input: string): boolean {
  try {
    validateMnemonic(input);
    return true;
  } catch {
    return false;
  }
}

/** 16, 20, 24, 28 or 32 bytes of entropy → 12…24 words with the BIP39 checksum. */
export function mnemonicFromEntropy(entropy: Uint8Array): string {
  if (![16, 20, 24, 28, 32].includes(entropy.length)) {
    throw new Error('BIP39 entropy is 16, 20, 24, 28 or 32 bytes');
  }
  return entropyToMnemonic(entropy, ENGLISH);
}

/** 64-byte BIP39 seed: PBKDF2-HMAC-SHA512(normalised mnemonic, "mnemonic" + NFKD(passphrase), 2048). */
export function bip39Seed(mnemonic: string, passphrase = ''): Uint8Array {
  const password = utf8(normaliseMnemonic(mnemonic));
  const salt = utf8('mnemonic' + passphrase.normalize('NFKD'));
  return pbkdf2(sha512, password, salt, { c: 2048, dkLen: 64 });
}

/** 32-byte Ed25519 seed of `rule` (C.2). The phrase is validated first; `mobile_sha256_path` ignores the passphrase. */
export function deriveSeed(rule: DerivationRule, mnemonic: string, passphrase = ''): Uint8Array {
  const normalised = validateMnemonic(mnemonic);
  switch (rule) {
    case 'lightclient_sha256':
      return sha256Bytes(bip39Seed(normalised, passphrase));
    case 'cli_slip10_master':
      return hmac(sha512, asciiBytes('ed25519 seed'), bip39Seed(normalised, passphrase)).slice(0, 32);
    case 'mobile_sha256_path':
      return sha256Bytes(utf8(normalised + ':' + MOBILE_PATH));
    default:
      throw new Error(`unknown derivation rule ${String(rule)}`);
  }
}

export function isDerivationRule(s: string): s is DerivationRule {
  return (DERIVATION_RULES as readonly string[]).includes(s);
}

/**
 * Words to offer for a typed (partial or misspelt) word: list words starting with it, else the words
 * closest by edit distance (≤ 2), at most `limit`.
 */
export function suggestWords(prefix: string, limit = 8): string[] {
  const p = prefix.normalize('NFKD').trim().toLowerCase();
  if (p === '') return [];
  const starts = ENGLISH.filter((w) => w.startsWith(p));
  if (starts.length > 0) return starts.slice(0, limit);
  const scored: { word: string; d: number }[] = [];
  for (const w of ENGLISH) {
    if (Math.abs(w.length - p.length) > 2) continue;
    const d = editDistance(p, w, 2);
    if (d <= 2) scored.push({ word: w, d });
  }
  scored.sort((a, b) => a.d - b.d || (a.word < b.word ? -1 : 1));
  return scored.slice(0, limit).map((s) => s.word);
}

/** Levenshtein distance, giving up (returning max + 1) once every cell of a row exceeds `max`. */
function editDistance(a: string, b: string, max: number): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const v = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      row.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev = row;
  }
  return prev[b.length] as number;
}
