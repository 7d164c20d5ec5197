/** `rustchain wallet` offline behaviour (E.1, E.3): exit codes, error codes, files. Runs the compiled CLI. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEV_MNEMONIC, devAccounts } from '../../src-main/protocol/dev-accounts.js';
import { loadVectors } from '../support/vectors.js';

const BIN = resolve('bin/rustchain.js');
const tmp = mkdtempSync(join(tmpdir(), 'rc-wallet-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function cli(
  args: string[],
  env: Record<string, string | undefined>,
  stdin = '',
): Promise<{ code: number; out: Record<string, unknown>; stderr: string }> {
  return new Promise((done, fail) => {
    const base: Record<string, string | undefined> = {
      ...process.env,
      RUSTCHAIN_PASSWORD: undefined,
      RUSTCHAIN_MNEMONIC: undefined,
      RUSTCHAIN_NODE: 'http://127.0.0.1:1',
    };
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...base, ...env } as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.end(stdin);
    child.on('error', fail);
    child.on('close', (code) => {
      try {
        done({ code: code ?? -1, out: JSON.parse(stdout) as Record<string, unknown>, stderr });
      } catch {
        fail(new Error(`no JSON on stdout (exit ${code}): ${stdout} ${stderr}`));
      }
    });
  });
}

describe.runIf(existsSync(resolve('dist/src-main/cli/main.js')))(
  'rustchain wallet (offline)',
  { timeout: 60_000 },
  () => {
    const home = join(tmp, 'home');
    const env = { RUSTCHAIN_HOME: home, RUSTCHAIN_PASSWORD: 'pw' };

    it('no keystore → exit 4; missing password without a TTY → exit 1 password_required', async () => {
      const r = await cli(['wallet', 'address', '--json'], env);
      expect([r.code, r.out['error']]).toEqual([4, 'keystore_not_found']);
      const p = await cli(['wallet', 'create', '--json'], { RUSTCHAIN_HOME: home });
      expect([p.code, p.out['error']]).toEqual([1, 'password_required']);
    });

    it('restore reads the phrase from stdin; node unreachable → lightclient with node_unreachable', async () => {
      const r = await cli(['wallet', 'restore', '--json'], env, `  ${DEV_MNEMONIC.toUpperCase()}  \n`);
      expect(r.code).toBe(0);
      expect(r.out).toMatchObject({
        ok: true,
        address: devAccounts()[0]!.address,
        derivation: 'lightclient_sha256',
        format: 'v2',
        node_unreachable: true,
      });
      expect((r.out['candidates'] as unknown[]).length).toBe(3);
      const again = await cli(['wallet', 'restore', '--json'], { ...env, RUSTCHAIN_MNEMONIC: DEV_MNEMONIC });
      expect([again.code, again.out['error']]).toEqual([1, 'file_exists']);
      const bad = await cli(['wallet', 'restore', '--json'], {
        ...env,
        RUSTCHAIN_MNEMONIC: DEV_MNEMONIC.replace('junk', 'test'),
      });
      expect([bad.code, bad.out['error']]).toEqual([1, 'invalid_mnemonic']);
      const none = await cli(['wallet', 'restore', '--json'], env, '');
      expect([none.code, none.out['error']]).toEqual([1, 'mnemonic_required']);
    });

    it('address needs no password; balance with the node down → exit 2', async () => {
      const a = await cli(['wallet', 'address', '--json'], { RUSTCHAIN_HOME: home });
      expect(a.out).toEqual({ ok: true, address: devAccounts()[0]!.address, public_key: devAccounts()[0]!.publicKey });
      const b = await cli(['wallet', 'balance', '--json'], env);
      expect([b.code, b.out['error']]).toEqual([2, 'node_unreachable']);
    });

    it('send validates input before touching the network', async () => {
      const to = devAccounts()[1]!.address;
      const amt = await cli(['wallet', 'send', '--to', to, '--amount', '1.0000001', '--json'], env);
      expect([amt.code, amt.out['error']]).toEqual([1, 'invalid_amount']);
      const addr = await cli(['wallet', 'send', '--to', 'RTCzz', '--amount', '1', '--json'], env);
      expect([addr.code, addr.out['error']]).toEqual([1, 'invalid_address']);
      const net = await cli(['wallet', 'send', '--to', to, '--amount', '1', '--chain-id', 'x', '--json'], env);
      expect([net.code, net.out['error']]).toEqual([2, 'node_unreachable']);
      const usage = await cli(['wallet', 'send', '--amount', '1', '--json'], env);
      expect([usage.code, usage.out['error']]).toEqual([1, 'usage']);
    });

    it('export v1 / import; wrong password → 5; several keystores → keystore_ambiguous', async () => {
      const out = join(tmp, 'exported-v1.json');
      const e = await cli(['wallet', 'export', '--out', out, '--format', 'v1', '--json'], env);
      expect(e.out).toMatchObject({ ok: true, address: devAccounts()[0]!.address, keystore: out, format: 'v1' });
      expect(JSON.parse(readFileSync(out, 'utf8')).version).toBe(1);
      const e2 = await cli(['wallet', 'export', '--out', out, '--json'], env);
      expect([e2.code, e2.out['error']]).toEqual([1, 'file_exists']);

      const vectors: {
        cli_v1: { password: string; wrong_password: string; keystore: object; expected_address: string }[];
      } = loadVectors('keystore');
      const ref = vectors.cli_v1[1]!;
      const file = join(tmp, 'ref.json');
      writeFileSync(file, JSON.stringify(ref.keystore));
      const wrong = await cli(['wallet', 'import', file, '--json'], {
        RUSTCHAIN_HOME: home,
        RUSTCHAIN_PASSWORD: ref.wrong_password,
      });
      expect([wrong.code, wrong.out['error']]).toEqual([5, 'wrong_password']);
      const ok = await cli(['wallet', 'import', file, '--json'], {
        RUSTCHAIN_HOME: home,
        RUSTCHAIN_PASSWORD: ref.password,
      });
      expect(ok.out).toMatchObject({ ok: true, address: ref.expected_address, format: 'v1' });
      const amb = await cli(['wallet', 'address', '--json'], { RUSTCHAIN_HOME: home });
      expect([amb.code, amb.out['error']]).toEqual([1, 'keystore_ambiguous']);
      const chosen = await cli(['wallet', 'address', '--keystore', ok.out['keystore'] as string, '--json'], {
        RUSTCHAIN_HOME: home,
      });
      expect(chosen.out['address']).toBe(ref.expected_address);
    });
  },
);
