import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { devAccounts, DEV_MNEMONIC } from '../../src-main/protocol/dev-accounts.js';
import { signedMessageBytes } from '../../src-main/protocol/signed-message.js';
import { WalletError } from '../../src-main/wallet/errors.js';
import { NonceStore } from '../../src-main/wallet/nonce-store.js';
import { PasswordThrottle } from '../../src-main/wallet/throttle.js';
import { WalletService } from '../../src-main/wallet/wallet-service.js';
import { loadVectors } from '../support/vectors.js';

const FAST_SCRYPT = { n: 16384, r: 8, p: 1, dklen: 32 };
const tmp = mkdtempSync(join(tmpdir(), 'rc-wallet-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function errorOf(p: Promise<unknown>): Promise<WalletError> {
  return p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as WalletError,
  );
}

describe('nonce store (C.4 step 4)', () => {
  it('max(now, last + 1), persisted as decimal strings', async () => {
    let now = 1_000;
    const dir = join(tmp, 'nonces-a');
    const s = new NonceStore(dir, () => now);
    expect(await s.next('RTCa')).toBe(1000n);
    expect(await s.next('RTCa')).toBe(1001n); // same millisecond
    now = 5_000;
    expect(await s.next('RTCa')).toBe(5000n);
    expect(await s.raiseTo('RTCa', 9_000_000_000_000_000n)).toBe(9_000_000_000_000_000n);
    expect(await s.next('RTCa')).toBe(9_000_000_000_000_001n);
    expect(await s.raiseTo('RTCa', 10n)).toBe(9_000_000_000_000_001n);
    expect(await s.next('RTCb')).toBe(5000n);
    expect(JSON.parse(readFileSync(join(dir, 'nonces.json'), 'utf8'))).toEqual({
      RTCa: '9000000000000001',
      RTCb: '5000',
    });
    expect(existsSync(join(dir, 'nonces.lock'))).toBe(false);
  });

  // The other process runs the compiled store (`npm test` builds first).
  it.runIf(existsSync('dist/src-main/wallet/nonce-store.js'))(
    'concurrent callers in this process and another process never get the same nonce',
    async () => {
      const dir = join(tmp, 'nonces-b');
      const fixedNow = () => 42;
      const a = new NonceStore(dir, fixedNow);
      const b = new NonceStore(dir, fixedNow);
      const script = `
      const { NonceStore } = await import(${JSON.stringify(resolve('dist/src-main/wallet/nonce-store.js'))});
      const s = new NonceStore(${JSON.stringify(dir)}, () => 42);
      const out = [];
      for (let i = 0; i < 25; i++) out.push(String(await s.next('RTCx')));
      process.stdout.write(out.join(','));
    `;
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let childOut = '';
      let childErr = '';
      child.stdout.on('data', (d: Buffer) => (childOut += d.toString()));
      child.stderr.on('data', (d: Buffer) => (childErr += d.toString()));
      const ours: Promise<bigint>[] = [];
      for (let i = 0; i < 25; i++) ours.push(a.next('RTCx'), b.next('RTCx'));
      const mine = await Promise.all(ours);
      const code = await new Promise<number>((r) => child.on('close', (c) => r(c ?? 1)));
      const theirs = code === 0 ? childOut.split(',').map((x) => BigInt(x)) : [];
      if (code !== 0) expect.soft(childErr).toBe(''); // report why the child failed
      const all = [...mine, ...theirs];
      expect(new Set(all.map(String)).size).toBe(all.length);
      expect(all.length).toBe(code === 0 ? 75 : 50);
    },
  );
});

describe('password throttle', () => {
  it('three free attempts, then growing waits; success clears', () => {
    let now = 0;
    const t = new PasswordThrottle(() => now);
    for (let i = 0; i < 3; i++) {
      t.check('k');
      t.failed('k');
    }
    expect(() => t.check('k')).toThrow(WalletError);
    expect(t.waitMs('k')).toBe(1000);
    now = 1000;
    t.check('k');
    t.failed('k');
    expect(t.waitMs('k')).toBe(2000);
    now = 3000;
    t.succeeded('k');
    expect(t.waitMs('k')).toBe(0);
  });
});

describe('wallet service', () => {
  it('create: 24 words, v2 lightclient keystore, mnemonic not stored; v1 uses the CLI rule', async () => {
    const w = new WalletService({ home: join(tmp, 'create'), scrypt: FAST_SCRYPT, autoLockMs: 0 });
    const a = await w.create({ password: 'pw', name: 'first' });
    expect(a.mnemonic.split(' ')).toHaveLength(24);
    expect(a.derivation).toBe('lightclient_sha256');
    const cands = w.deriveCandidates(a.mnemonic);
    expect(cands.find((c) => c.rule === 'lightclient_sha256')!.address).toBe(a.address);
    const text = readFileSync(a.keystore, 'utf8');
    for (const word of new Set(a.mnemonic.split(' '))) expect(text.includes(` ${word} `)).toBe(false);
    expect(text).not.toContain(a.mnemonic);
    expect(JSON.parse(text).name).toBe('first');

    const b = await w.create({ password: 'pw', format: 'v1' });
    expect(b.derivation).toBe('cli_slip10_master');
    expect(w.deriveCandidates(b.mnemonic).find((c) => c.rule === 'cli_slip10_master')!.address).toBe(b.address);
    expect(JSON.parse(readFileSync(b.keystore, 'utf8')).version).toBe(1);
    expect(
      w
        .list()
        .map((k) => k.address)
        .sort(),
    ).toEqual([a.address, b.address].sort());
    expect((await errorOf(Promise.resolve().then(() => w.describe()))).code).toBe('keystore_ambiguous');
  });

  it('restore the same phrase twice → file_exists; invalid phrase → invalid_mnemonic with suggestions', async () => {
    const w = new WalletService({ home: join(tmp, 'restore'), scrypt: FAST_SCRYPT, autoLockMs: 0 });
    const r = await w.restore({ mnemonic: DEV_MNEMONIC, rule: 'lightclient_sha256', password: 'pw' });
    expect(r.address).toBe(devAccounts()[0]!.address);
    expect(
      (await errorOf(w.restore({ mnemonic: DEV_MNEMONIC, rule: 'lightclient_sha256', password: 'pw' }))).code,
    ).toBe('file_exists');
    const bad = await errorOf(
      w.restore({ mnemonic: DEV_MNEMONIC.replace('junk', 'junc'), rule: 'lightclient_sha256', password: 'pw' }),
    );
    expect(bad.code).toBe('invalid_mnemonic');
    expect(JSON.stringify(bad.extra)).toContain('junk');
  });

  it('unlock, lock, auto-lock events; wrong passwords are throttled', async () => {
    const w = new WalletService({ home: join(tmp, 'lock'), scrypt: FAST_SCRYPT, autoLockMs: 50 });
    const { address } = await w.restore({
      mnemonic: DEV_MNEMONIC,
      passphrase: '1',
      rule: 'lightclient_sha256',
      password: 'pw',
    });
    const events: string[] = [];
    w.on('unlocked', () => events.push('unlocked'));
    w.on('locked', (e: { reason: string }) => events.push(`locked:${e.reason}`));
    await w.unlock(address, 'pw');
    expect(w.isUnlocked).toBe(true);
    expect(w.unlockedAddress).toBe(address);
    await new Promise<void>((r) => w.once('locked', () => r()));
    expect(w.isUnlocked).toBe(false);
    expect(events).toEqual(['unlocked', 'locked:auto']);

    for (let i = 0; i < 3; i++) expect((await errorOf(w.unlock(address, 'nope'))).code).toBe('wrong_password');
    const throttled = await errorOf(w.unlock(address, 'pw'));
    expect(throttled.code).toBe('throttled');
    expect(throttled.extra['retry_after_ms']).toBeGreaterThan(0);
  });

  it('signs and verifies messages; a signed message is never a transfer', async () => {
    const w = new WalletService({ home: join(tmp, 'msg'), scrypt: FAST_SCRYPT, autoLockMs: 0 });
    const { address } = await w.restore({ mnemonic: DEV_MNEMONIC, rule: 'lightclient_sha256', password: 'pw' });
    expect((await errorOf(w.signMessage(address, 'hi'))).code).toBe('locked');
    const s = await w.signMessage(address, 'I own this address ✓', 'pw');
    expect(s.address).toBe(address);
    expect(w.verifyMessage(s)).toBe(true);
    expect(w.verifyMessage({ ...s, message: 'I own this address' })).toBe(false);
    expect(w.verifyMessage({ ...s, address: devAccounts()[1]!.address })).toBe(false);
    expect(w.verifyMessage({ ...s, message: s.message.normalize('NFD') })).toBe(true);
    expect(signedMessageBytes('{"amount":1.0}')[0]).toBe('R'.charCodeAt(0));
  });

  it('compose: exact signed fields; bad amounts and addresses refused', async () => {
    const w = new WalletService({ home: join(tmp, 'compose'), scrypt: FAST_SCRYPT, autoLockMs: 0 });
    const { address } = await w.restore({ mnemonic: DEV_MNEMONIC, rule: 'lightclient_sha256', password: 'pw' });
    const to = devAccounts()[1]!.address;
    const review = await w.composeTransfer({
      from: address,
      to: to.toUpperCase().replace(/^RTC/, 'RTC'),
      amount: ' 2 ',
      memo: 'm',
      chainId: 'rustchain-devnet-dev',
    });
    expect(review).toEqual({
      from: address,
      to,
      amount: '2.0',
      amount_i64: 2_000_000n,
      fee: '0.0',
      memo: 'm',
      chain_id: 'rustchain-devnet-dev',
    });
    const vectors: { user_input: { input: string; urtc: number | null; valid: boolean }[] } = loadVectors('amounts');
    const amounts = vectors.user_input;
    expect(amounts.length).toBeGreaterThan(5);
    for (const c of amounts) {
      const r = w.composeTransfer({ from: address, to, amount: c.input, chainId: 'c' });
      if (c.valid) expect((await r).amount_i64, c.input).toBe(BigInt(c.urtc as number));
      else expect((await errorOf(r)).code, c.input).toBe('invalid_amount');
    }
    for (const bad of ['', '-1', '1e3', '0', '0.0000001', '8388608.000001', '1,5']) {
      expect((await errorOf(w.composeTransfer({ from: address, to, amount: bad, chainId: 'c' }))).code).toBe(
        'invalid_amount',
      );
    }
    expect((await errorOf(w.composeTransfer({ from: address, to: 'RTC123', amount: '1', chainId: 'c' }))).code).toBe(
      'invalid_address',
    );
    expect((await errorOf(w.composeTransfer({ from: address, to: address, amount: '1', chainId: 'c' }))).code).toBe(
      'invalid_address',
    );
  });

  it('address book CRUD with normalised addresses', () => {
    const w = new WalletService({ home: join(tmp, 'book'), autoLockMs: 0 });
    const a = devAccounts()[2]!.address;
    w.addressBook.put({ name: 'Bob', address: 'RTC' + a.slice(3).toUpperCase() });
    w.addressBook.put({ name: 'Al', address: devAccounts()[3]!.address, note: 'friend' });
    expect(w.addressBook.list().map((e) => e.name)).toEqual(['Al', 'Bob']);
    expect(w.addressBook.find(a)!.address).toBe(a);
    w.addressBook.put({ name: 'Robert', address: a });
    expect(w.addressBook.list()).toHaveLength(2);
    expect(w.addressBook.remove(a)).toBe(true);
    expect(w.addressBook.remove(a)).toBe(false);
    expect(() => w.addressBook.put({ name: 'x', address: 'nope' })).toThrow(WalletError);
    expect(w.list()).toEqual([]); // the address book is not a keystore
  });
});
