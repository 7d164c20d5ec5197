/** `rustchain fingerprint` and `rustchain miner` as child processes (E.4, E.5). Needs `npm run build`. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson, isJsonObject, parseJson } from '../../src-main/protocol/canonical-json.js';
import { BIN, CLI_BUILT, freePort, startDevNode, type DevNode } from './dev-node.js';

function run(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

function lines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe.skipIf(!CLI_BUILT)('rustchain fingerprint', () => {
  it('prints one line of canonical JSON with the six checks', async () => {
    const r = await run(['fingerprint', '--json']);
    expect(r.status).toBe(0);
    const out = r.stdout.trimEnd();
    expect(out.split('\n')).toHaveLength(1);
    const fp = parseJson(out);
    expect(canonicalJson(fp)).toBe(out);
    if (!isJsonObject(fp) || !isJsonObject(fp['checks'])) throw new Error('not a fingerprint');
    expect(Object.keys(fp['checks']).sort()).toEqual([
      'anti_emulation',
      'cache_timing',
      'clock_drift',
      'instruction_jitter',
      'simd_identity',
      'thermal_drift',
    ]);
    expect(fp['all_passed']).toBe(false); // a VM
    expect(r.stderr).not.toContain('fallback');
  });

  it('--full adds device and signals', async () => {
    const r = await run(['fingerprint', '--full']);
    expect(r.status).toBe(0);
    const o = parseJson(r.stdout.trim());
    if (!isJsonObject(o)) throw new Error('not an object');
    expect(Object.keys(o).sort()).toEqual(['device', 'fingerprint', 'signals']);
    expect(isJsonObject(o['device']) && typeof o['device']['cores']).toBe('number');
  });

  it('says so on stderr when the fallback measured', async () => {
    const r = await run(['fingerprint'], { RUSTCHAIN_FINGERPRINT_NATIVE: '0' });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/fallback/);
    const fp = parseJson(r.stdout.trim());
    expect(isJsonObject(fp) && isJsonObject(fp['checks'])).toBe(true);
    expect(r.stdout).not.toContain('fidelity');
  });
});

describe.skipIf(!CLI_BUILT)('rustchain miner', () => {
  let dir: string;
  let node: DevNode | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rc-miner-cli-'));
    node = await startDevNode(join(dir, 'node'), await freePort());
  });

  afterAll(async () => {
    await node?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('--once --json attests, enrolls and exits 0 with E.4 event lines', async () => {
    const r = await run(['miner', '--node', node!.url, '--once', '--json'], { RUSTCHAIN_HOME: join(dir, 'home') });
    expect(r.status).toBe(0);
    const events = lines(r.stdout);
    const attested = events.find((e) => e['event'] === 'attested');
    expect(attested).toBeDefined();
    expect(Object.keys(attested ?? {}).sort()).toEqual([
      'device_arch',
      'device_family',
      'epoch',
      'event',
      'fingerprint_passed',
      'miner',
      'weight',
    ]);
    expect(attested?.['fingerprint_passed']).toBe(false);
    const enrolled = events.find((e) => e['event'] === 'enrolled');
    expect(enrolled?.['epoch']).toBeGreaterThanOrEqual(attested?.['epoch'] as number);
  });

  it('runs until SIGINT, then exits 0', async () => {
    const p = spawn(process.execPath, [BIN, 'miner', '--node', node!.url, '--json'], {
      env: { ...process.env, RUSTCHAIN_HOME: join(dir, 'home') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const closed = new Promise<number | null>((res) => p.on('close', (code) => res(code)));
    const seen: Record<string, unknown>[] = [];
    await new Promise<void>((res) => {
      let buf = '';
      p.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        const parts = buf.split('\n');
        buf = parts.pop() ?? '';
        for (const l of parts) {
          if (l.trim() === '') continue;
          const e = JSON.parse(l) as Record<string, unknown>;
          seen.push(e);
          if (e['event'] === 'waiting') res();
        }
      });
    });
    p.kill('SIGINT');
    expect(await closed).toBe(0);
    expect(seen.map((e) => e['event'])).toEqual(expect.arrayContaining(['attested', 'enrolled', 'waiting']));
    const waiting = seen.find((e) => e['event'] === 'waiting');
    expect(Number(waiting?.['next_attest_at'])).toBeGreaterThan(Date.now() / 1000 - 10);
  });

  it('--once exits 2 when the node is unreachable', async () => {
    const port = await freePort();
    const r = await run(['miner', '--node', `http://127.0.0.1:${port}`, '--once', '--json'], {
      RUSTCHAIN_HOME: join(dir, 'home'),
    });
    expect(r.status).toBe(2);
    const errors = lines(r.stdout).filter((e) => e['event'] === 'error');
    expect(errors.length).toBe(3); // D.1: three health tries
    expect(errors[0]?.['stage']).toBe('health');
  });

  it('--wallet without a keystore exits 4', async () => {
    const r = await run(['miner', '--node', node!.url, '--wallet', 'RTC' + 'ab'.repeat(20), '--once', '--json'], {
      RUSTCHAIN_HOME: join(dir, 'empty-home'),
    });
    expect(r.status).toBe(4);
    expect(lines(r.stdout)[0]?.['error']).toBe('keystore_not_found');
  });
});

describe.skipIf(!CLI_BUILT)('rustchain miner --wallet', () => {
  let dir: string;
  let node: DevNode | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rc-miner-wallet-'));
    node = await startDevNode(join(dir, 'node'), await freePort());
  });

  afterAll(async () => {
    await node?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('mines for a wallet keystore, signing with the wallet key', async () => {
    const env = { RUSTCHAIN_HOME: join(dir, 'home'), RUSTCHAIN_PASSWORD: 'correct horse battery' };
    const created = await run(['wallet', 'create', '--json'], env);
    expect(created.status).toBe(0);
    const address = (JSON.parse(created.stdout) as { address: string }).address;
    const r = await run(['miner', '--node', node!.url, '--wallet', address, '--once', '--json'], env);
    expect(r.status).toBe(0);
    const attested = lines(r.stdout).find((e) => e['event'] === 'attested');
    expect(attested?.['miner']).toBe(address);
    const wrong = await run(['miner', '--node', node!.url, '--wallet', address, '--once', '--json'], {
      ...env,
      RUSTCHAIN_PASSWORD: 'wrong',
    });
    expect(wrong.status).toBe(5);
    expect(lines(wrong.stdout)[0]?.['error']).toBe('wrong_password');
  });
});
