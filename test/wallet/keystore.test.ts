import { createDecipheriv, pbkdf2Sync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../../src-main/protocol/bytes.js';
import { deriveSeed } from '../../src-main/protocol/mnemonic.js';
import {
  KeystoreError,
  checkScryptParams,
  decryptKeystore,
  encryptKeystore,
  parseKeystore,
  parseKeystoreText,
} from '../../src-main/wallet/keystore.js';
import { WalletService } from '../../src-main/wallet/wallet-service.js';
import { WalletError } from '../../src-main/wallet/errors.js';
import { loadVectors } from '../support/vectors.js';

interface KeystoreCase {
  mnemonic: string;
  password: string;
  keystore: Record<string, unknown>;
  expected_seed: string;
  expected_public_key: string;
  expected_address: string;
  wrong_password: string;
}
const v: { cli_v1: KeystoreCase[]; ours_v2: KeystoreCase[] } = loadVectors('keystore');

/** Small scrypt for tests that only need "a v2 keystore", not the production cost. */
const FAST_SCRYPT = { n: 16384, r: 8, p: 1, dklen: 32 };

const tmp = mkdtempSync(join(tmpdir(), 'rc-keystore-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function errorOf(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => undefined,
    (e: unknown) => e,
  );
}

/** The reference CLI's decryption rules (C.3.1), written independently of our reader. */
function referenceDecryptV1(ks: Record<string, unknown>, password: string): Uint8Array {
  const c = ks['crypto'] as Record<string, string | number>;
  expect(ks['version']).toBe(1);
  expect(c['cipher']).toBe('AES-256-GCM');
  expect(c['kdf']).toBe('PBKDF2-HMAC-SHA256');
  const key = pbkdf2Sync(
    Buffer.from(password, 'utf8'),
    Buffer.from(c['salt_b64'] as string, 'base64'),
    c['kdf_iterations'] as number,
    32,
    'sha256',
  );
  const ct = Buffer.from(c['ciphertext_b64'] as string, 'base64');
  const d = createDecipheriv('aes-256-gcm', key, Buffer.from(c['nonce_b64'] as string, 'base64'));
  d.setAuthTag(ct.subarray(ct.length - 16));
  return new Uint8Array(Buffer.concat([d.update(ct.subarray(0, ct.length - 16)), d.final()]));
}

describe('keystore vectors (C.3)', () => {
  for (const c of [...v.cli_v1, ...v.ours_v2]) {
    it(`${String(c.keystore['name'])} (v${String(c.keystore['version'])}) decrypts; the wrong password fails`, async () => {
      const parsed = parseKeystore(c.keystore);
      expect(parsed.address).toBe(c.expected_address);
      const seed = await decryptKeystore(parsed, c.password);
      expect(bytesToHex(seed)).toBe(c.expected_seed);
      const err = await errorOf(decryptKeystore(parsed, c.wrong_password));
      expect(err).toBeInstanceOf(KeystoreError);
      expect((err as KeystoreError).code).toBe('wrong_password');
    });
  }

  it('the reference CLI keystores hold the cli_slip10_master key of their mnemonic', () => {
    for (const c of v.cli_v1.slice(0, 2)) {
      expect(bytesToHex(deriveSeed('cli_slip10_master', c.mnemonic))).toBe(c.expected_seed);
    }
  });

  it('a v1 keystore written by us opens under the reference rules', async () => {
    const seed = hexToBytes(v.cli_v1[0]!.expected_seed);
    const ks = (await encryptKeystore(seed, 'pässword', {
      format: 'v1',
      name: 'ours',
      derivation: 'cli_slip10_master',
    })) as unknown as Record<string, unknown>;
    expect(Object.keys(ks).sort()).toEqual([
      'address',
      'created_at',
      'crypto',
      'mnemonic_words',
      'name',
      'public_key_hex',
      'version',
    ]);
    expect(ks['mnemonic_words']).toBe(24);
    const c = ks['crypto'] as Record<string, unknown>;
    expect(Buffer.from(c['salt_b64'] as string, 'base64')).toHaveLength(16);
    expect(Buffer.from(c['nonce_b64'] as string, 'base64')).toHaveLength(12);
    expect(c['kdf_iterations']).toBe(100000);
    expect(bytesToHex(referenceDecryptV1(ks, 'pässword'))).toBe(v.cli_v1[0]!.expected_seed);
    expect(ks['address']).toBe(v.cli_v1[0]!.expected_address);
  });

  it('v2 round trip with fresh salt and nonce each time', async () => {
    const seed = hexToBytes(v.ours_v2[0]!.expected_seed);
    const a = await encryptKeystore(seed, 'pw', {
      format: 'v2',
      name: 'n',
      derivation: 'lightclient_sha256',
      scrypt: FAST_SCRYPT,
    });
    const b = await encryptKeystore(seed, 'pw', {
      format: 'v2',
      name: 'n',
      derivation: 'lightclient_sha256',
      scrypt: FAST_SCRYPT,
    });
    expect(a.crypto.salt_b64).not.toBe(b.crypto.salt_b64);
    expect(Buffer.from(a.crypto.salt_b64, 'base64')).toHaveLength(32);
    expect(bytesToHex(await decryptKeystore(parseKeystore(a), 'pw'))).toBe(v.ours_v2[0]!.expected_seed);
  });

  it('refuses scrypt parameters outside C.3.2 bounds', () => {
    expect(() => checkScryptParams({ n: 131072, r: 8, p: 1, dklen: 32 })).not.toThrow();
    for (const bad of [
      { n: 100000, r: 8, p: 1, dklen: 32 },
      { n: 2 ** 13, r: 8, p: 1, dklen: 32 },
      { n: 2 ** 21, r: 8, p: 1, dklen: 32 },
      { n: 2 ** 14, r: 17, p: 1, dklen: 32 },
      { n: 2 ** 14, r: 8, p: 5, dklen: 32 },
      { n: 2 ** 14, r: 8, p: 1, dklen: 64 },
    ]) {
      expect(() => checkScryptParams(bad)).toThrow(KeystoreError);
    }
  });

  it('malformed files are keystore_corrupt; unknown versions refused', () => {
    const good = v.ours_v2[0]!.keystore;
    const cases: unknown[] = [
      'not json',
      { ...good, version: 3 },
      { ...good, public_key_hex: 'zz' },
      { ...good, crypto: { ...(good['crypto'] as object), ciphertext_b64: 'AAAA' } },
      { ...good, crypto: { ...(good['crypto'] as object), kdf: 'argon2' } },
      { ...good, derivation: 'whatever' },
    ];
    for (const c of cases) {
      const e = (() => {
        try {
          if (typeof c === 'string') parseKeystoreText(c);
          else parseKeystore(c);
        } catch (err) {
          return err;
        }
        return undefined;
      })();
      expect(e).toBeInstanceOf(KeystoreError);
      expect((e as KeystoreError).code).toBe('keystore_corrupt');
    }
  });

  it('a key that does not match the header is keystore_corrupt', async () => {
    const c = v.cli_v1[0]!;
    const other = v.cli_v1[1]!;
    const swapped = { ...c.keystore, public_key_hex: other.expected_public_key, address: other.expected_address };
    const e = await errorOf(decryptKeystore(parseKeystore(swapped), c.password));
    expect((e as KeystoreError).code).toBe('keystore_corrupt');
  });
});

describe('keystore files in the wallet service', () => {
  it('imports the reference vector, exports v1/v2, never overwrites, changes password with a backup', async () => {
    const home = join(tmp, 'files');
    const w = new WalletService({ home, scrypt: FAST_SCRYPT, autoLockMs: 0 });
    const c = v.cli_v1[0]!;
    const src = join(tmp, 'ref.json');
    writeFileSync(src, JSON.stringify(c.keystore));
    const imported = await w.importKeystore(src, c.password);
    expect(imported.address).toBe(c.expected_address);
    expect(imported.format).toBe('v1');
    expect(readFileSync(imported.path, 'utf8')).toBe(readFileSync(src, 'utf8'));
    expect(statSync(imported.path).mode & 0o777).toBe(0o600);
    const again = await errorOf(w.importKeystore(src, c.password));
    expect((again as WalletError).code).toBe('file_exists');

    const wrong = await errorOf(w.importKeystore(src, c.wrong_password));
    expect((wrong as WalletError).code).toBe('wrong_password');

    const outV2 = join(tmp, 'export-v2.json');
    const ex = await w.exportKeystore(undefined, c.password, outV2, 'v2');
    expect(ex.format).toBe('v2');
    const exported = parseKeystoreText(readFileSync(outV2, 'utf8'));
    expect(exported.format).toBe('v2');
    expect(bytesToHex(await decryptKeystore(exported, c.password))).toBe(c.expected_seed);
    const exists = await errorOf(w.exportKeystore(undefined, c.password, outV2, 'v2'));
    expect((exists as WalletError).code).toBe('file_exists');

    const outV1 = join(tmp, 'export-v1.json');
    await w.exportKeystore(c.expected_address, c.password, outV1, 'v1');
    expect(bytesToHex(referenceDecryptV1(JSON.parse(readFileSync(outV1, 'utf8')), c.password))).toBe(c.expected_seed);

    const before = readFileSync(imported.path, 'utf8');
    const changed = await w.changePassword(undefined, c.password, 'new password');
    expect(readFileSync(changed.backup, 'utf8')).toBe(before);
    expect(
      bytesToHex(await decryptKeystore(parseKeystoreText(readFileSync(changed.keystore, 'utf8')), 'new password')),
    ).toBe(c.expected_seed);
    expect(((await errorOf(w.verifyPassword(c.expected_address, c.password))) as WalletError).code).toBe(
      'wrong_password',
    );
    // backups/ and other files are not keystores
    expect(w.list().map((k) => k.address)).toEqual([c.expected_address]);
  });

  it('a corrupted keystore file gives keystore_corrupt, a missing one keystore_not_found', async () => {
    const home = join(tmp, 'corrupt');
    const w = new WalletService({ home, scrypt: FAST_SCRYPT, autoLockMs: 0 });
    expect(() => w.describe()).toThrow(WalletError);
    try {
      w.describe();
    } catch (e) {
      expect((e as WalletError).code).toBe('keystore_not_found');
    }
    const created = await w.create({ password: 'pw' });
    const text = readFileSync(created.keystore, 'utf8');
    writeFileSync(created.keystore, text.slice(0, text.length / 2), { mode: 0o600 });
    const e = await errorOf(w.unlock(created.address, 'pw'));
    expect((e as WalletError).code).toBe('keystore_corrupt');
  });
});
