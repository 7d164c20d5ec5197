/** Wallet figures: time to unlock a keystore (C.3). v2 must take 0.3–1 s here (docs/decisions/keystore-kdf.md). */
import { randomBytes } from 'node:crypto';
import type { BenchResult } from '../result.js';
import { DEFAULT_SCRYPT, decryptKeystore, encryptKeystore, parseKeystore } from '../../src-main/wallet/keystore.js';

const RUNS = 5;

async function meanUnlockMs(format: 'v1' | 'v2'): Promise<number> {
  const seed = new Uint8Array(randomBytes(32));
  const ks = parseKeystore(
    await encryptKeystore(seed, 'bench password', { format, name: 'bench', derivation: 'random' }),
  );
  await decryptKeystore(ks, 'bench password'); // warm-up
  let total = 0;
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    await decryptKeystore(ks, 'bench password');
    total += Number(process.hrtime.bigint() - start) / 1e6;
  }
  return total / RUNS;
}

export default async function walletBench(): Promise<BenchResult[]> {
  const v2 = await meanUnlockMs('v2');
  const v1 = await meanUnlockMs('v1');
  const { n, r, p } = DEFAULT_SCRYPT;
  return [
    {
      suite: 'wallet',
      name: 'v2 keystore unlock (mean of 5)',
      value: Math.round(v2),
      unit: 'ms',
      target: '300 … 1000',
      met: v2 >= 300 && v2 <= 1000,
      notes: `scrypt N=${n} r=${r} p=${p}`,
    },
    {
      suite: 'wallet',
      name: 'v1 keystore unlock (mean of 5)',
      value: Math.round(v1),
      unit: 'ms',
      notes: 'PBKDF2-HMAC-SHA256 100,000 iterations',
    },
  ];
}
