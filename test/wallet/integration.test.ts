/**
 * The wallet against a real devnet node: `rustchain node --dev` in a child process, the wallet CLI in
 * child processes, the wallet service in this one. Needs the compiled CLI (`npm test` builds first).
 *
 * Flow: restore dev account 0 → create a new wallet → send to it (pending, then confirmed at the
 * settlement of its epoch) → exact balances → restore the new wallet from its words → stop the node and
 * search every data and log file for the seed words and the secret keys.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  type WriteStream,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeClient } from '../../src-main/client/node-client.js';
import { bytesToHex } from '../../src-main/protocol/bytes.js';
import { DEV_ACCOUNT_AMOUNT_I64, DEV_MNEMONIC, devAccounts } from '../../src-main/protocol/dev-accounts.js';
import { deriveSeed } from '../../src-main/protocol/mnemonic.js';
import { WalletService } from '../../src-main/wallet/wallet-service.js';

const BIN = resolve('bin/rustchain.js');
const PASSWORD = 'integration password';
const tmp = mkdtempSync(join(tmpdir(), 'rc-wallet-int-'));
const logs = join(tmp, 'logs');
const homes = { dev: join(tmp, 'home-dev'), fresh: join(tmp, 'home-fresh'), restored: join(tmp, 'home-restored') };

let node: ChildProcess | undefined;
let api = '';
let nodeLog: WriteStream;

interface CliRun {
  code: number;
  out: Record<string, unknown>;
}

/** Runs the CLI; its stderr (diagnostics) is kept as a log file and searched at the end. */
function cli(args: string[], env: Record<string, string>, logName: string): Promise<CliRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, RUSTCHAIN_PASSWORD: PASSWORD, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.pipe(createWriteStream(join(logs, `${logName}.stderr.log`)));
    child.on('error', fail);
    child.on('close', (code) => {
      try {
        done({ code: code ?? -1, out: JSON.parse(stdout) as Record<string, unknown> });
      } catch {
        fail(new Error(`rustchain ${args.join(' ')} printed no JSON (exit ${code}): ${stdout}`));
      }
    });
  });
}

function startNode(): Promise<string> {
  mkdirSync(logs, { recursive: true });
  nodeLog = createWriteStream(join(logs, 'node.stdout.log'));
  const args = [
    BIN,
    'node',
    '--dev',
    '--slot-seconds',
    '1',
    '--epoch-slots',
    '5',
    '--data-dir',
    join(tmp, 'node'),
    '--api-port',
    '0',
    '--json',
  ];
  node = spawn(process.execPath, args, {
    env: { ...process.env, RUSTCHAIN_HOME: join(tmp, 'node-home') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  node.stderr!.pipe(createWriteStream(join(logs, 'node.stderr.log')));
  return new Promise((done, fail) => {
    const lines = createInterface({ input: node!.stdout! });
    lines.on('line', (line) => {
      nodeLog.write(line + '\n');
      try {
        const ev = JSON.parse(line) as { event?: string; api?: string };
        if (ev.event === 'ready' && ev.api) done(ev.api);
      } catch {
        // not JSON: kept in the log
      }
    });
    node!.on('exit', (code) => fail(new Error(`the node exited (${code}) before it was ready; see ${logs}`)));
  });
}

async function stopNode(): Promise<void> {
  if (!node || node.exitCode !== null) return;
  const exited = new Promise<void>((r) => node!.once('exit', () => r()));
  node.kill('SIGTERM');
  await exited;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('wallet ↔ devnet node (integration)', { timeout: 180_000 }, () => {
  const dev0 = devAccounts()[0]!;
  let freshMnemonic = '';
  let freshAddress = '';
  let client: NodeClient;

  beforeAll(async () => {
    if (!existsSync(resolve('dist/src-main/cli/main.js'))) throw new Error('build first: npm run build');
    api = await startNode();
    client = new NodeClient(api);
  }, 60_000);

  afterAll(async () => {
    await stopNode();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('restores the funded dev account 0 from the dev mnemonic (auto rule → lightclient, active)', async () => {
    const r = await cli(
      ['wallet', 'restore', '--json', '--node', api],
      { RUSTCHAIN_HOME: homes.dev, RUSTCHAIN_MNEMONIC: DEV_MNEMONIC },
      'restore-dev',
    );
    expect(r.code).toBe(0);
    expect(r.out['address']).toBe(dev0.address);
    expect(r.out['derivation']).toBe('lightclient_sha256');
    const candidates = r.out['candidates'] as { rule: string; amount_i64: number; active: boolean }[];
    expect(candidates.find((c) => c.rule === 'lightclient_sha256')).toMatchObject({
      amount_i64: DEV_ACCOUNT_AMOUNT_I64,
      active: true,
    });
    expect(candidates.filter((c) => c.active)).toHaveLength(1);
  });

  it('creates a new wallet', async () => {
    const r = await cli(
      ['wallet', 'create', '--json', '--name', 'fresh'],
      { RUSTCHAIN_HOME: homes.fresh },
      'create-fresh',
    );
    expect(r.code).toBe(0);
    freshMnemonic = r.out['mnemonic'] as string;
    freshAddress = r.out['address'] as string;
    expect(freshMnemonic.split(' ')).toHaveLength(24);
    const a = await cli(['wallet', 'address', '--json'], { RUSTCHAIN_HOME: homes.fresh }, 'address-fresh');
    expect(a.out['address']).toBe(freshAddress);
  });

  it('sends: pending, then confirmed at settlement, with exact balances', async () => {
    const env = { RUSTCHAIN_HOME: homes.dev };
    const first = await cli(
      ['wallet', 'send', '--to', freshAddress, '--amount', '12.5', '--memo', 'first', '--node', api, '--json'],
      env,
      'send-1',
    );
    expect(first.code).toBe(0);
    expect(first.out).toMatchObject({
      phase: 'pending',
      from: dev0.address,
      to: freshAddress,
      amount_i64: 12_500_000,
      chain_id: 'rustchain-devnet-dev',
    });
    const txHash = first.out['tx_hash'] as string;
    expect((await client.tx(txHash)).status).toMatch(/^(pending|confirmed)$/);

    const wallet = new WalletService({ home: homes.dev, autoLockMs: 0 });
    const statuses: string[] = [];
    wallet.on('transfer-status', (e: { status: string }) => statuses.push(e.status));
    const final = await wallet.trackTransfer(txHash, client, { pollMs: 500, epochPollMs: 250, timeoutMs: 60_000 });
    expect(final.status).toBe('confirmed');
    expect(final.epoch).not.toBeNull();
    expect(statuses.at(-1)).toBe('confirmed');

    const second = await cli(
      [
        'wallet',
        'send',
        '--to',
        freshAddress,
        '--amount',
        '1.000001',
        '--wait',
        '--timeout',
        '60',
        '--node',
        api,
        '--json',
      ],
      env,
      'send-2',
    );
    expect(second.code).toBe(0);
    expect(second.out).toMatchObject({ status: 'confirmed', amount_i64: 1_000_001 });
    expect(BigInt(second.out['nonce'] as string)).toBeGreaterThan(BigInt(first.out['nonce'] as string));

    const sent = 12_500_000 + 1_000_001;
    const from = await cli(['wallet', 'balance', '--node', api, '--json'], env, 'balance-dev');
    expect(from.out).toMatchObject({
      address: dev0.address,
      amount_i64: DEV_ACCOUNT_AMOUNT_I64 - sent,
      pending_out_i64: 0,
      available_i64: DEV_ACCOUNT_AMOUNT_I64 - sent,
    });
    const to = await cli(['wallet', 'balance', freshAddress, '--node', api, '--json'], env, 'balance-fresh');
    expect(to.out).toMatchObject({ amount_i64: sent, amount_rtc: 13.500001 });

    const history = await cli(['wallet', 'history', freshAddress, '--node', api, '--json'], env, 'history-fresh');
    expect(history.out['total']).toBe(2);
  });

  it('restores the new wallet from its words (the funded lightclient candidate is chosen)', async () => {
    const r = await cli(
      ['wallet', 'restore', '--json', '--node', api],
      { RUSTCHAIN_HOME: homes.restored, RUSTCHAIN_MNEMONIC: freshMnemonic },
      'restore-fresh',
    );
    expect(r.code).toBe(0);
    expect(r.out['address']).toBe(freshAddress);
  });

  it('no data or log file contains the seed words or a secret key', async () => {
    await stopNode();
    nodeLog.end();
    const secrets: { what: string; needle: Buffer }[] = [];
    for (const [what, m] of [
      ['dev mnemonic', DEV_MNEMONIC],
      ['new mnemonic', freshMnemonic],
    ] as const) {
      secrets.push({ what, needle: Buffer.from(m) });
      // any 3 consecutive words of the new phrase
      const words = m.split(' ');
      if (what === 'new mnemonic')
        for (let i = 0; i + 3 <= words.length; i++)
          secrets.push({ what: `${what} words ${i}…`, needle: Buffer.from(words.slice(i, i + 3).join(' ')) });
    }
    for (const [what, seed] of [
      ['dev0 key', dev0.seed],
      ['new key', deriveSeed('lightclient_sha256', freshMnemonic)],
    ] as const) {
      const hex = bytesToHex(seed);
      secrets.push(
        { what: `${what} hex`, needle: Buffer.from(hex) },
        { what: `${what} HEX`, needle: Buffer.from(hex.toUpperCase()) },
        { what: `${what} raw`, needle: Buffer.from(seed) },
      );
      secrets.push({ what: `${what} base64`, needle: Buffer.from(Buffer.from(seed).toString('base64')) });
    }
    const files = filesUnder(tmp);
    expect(files.some((f) => f.endsWith('nonces.json'))).toBe(true);
    expect(files.some((f) => f.includes(`${join('logs', 'node.stderr.log')}`))).toBe(true);
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const s of secrets) expect(bytes.includes(s.needle), `${s.what} found in ${file}`).toBe(false);
    }
  });
});
