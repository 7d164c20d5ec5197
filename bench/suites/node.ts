/**
 * The node alone on 127.0.0.1 as a child process (rate limits off), loaded with autocannon over 16
 * keep-alive connections: balance reads, pre-signed transfers, attestations with a fresh challenge each;
 * then settlement at 100,000 and 1,000,000 enrolled miners and start-to-ready on a ~1 GB database.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createPrivateKey, sign as cryptoSign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
// @ts-expect-error autocannon ships no types
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { atLeast, atMost, type BenchResult } from '../result.js';
import { canonicalJson, type JsonObject } from '../../src-main/protocol/canonical-json.js';
import { bytesToHex } from '../../src-main/protocol/bytes.js';
import { addressFromPublicKey, keyPairFromSeed } from '../../src-main/protocol/keys.js';
import { signTransfer } from '../../src-main/protocol/transfer.js';
import { attestationSigningMessage } from '../../src-main/protocol/attestation.js';
import { settle, type Share } from '../../src-main/protocol/settlement.js';
import { emptyState, addBalance } from '../../src-main/protocol/epoch/state.js';
import { openDatabase } from '../../src-main/node/db/open.js';
import { StateStore, stateDiff } from '../../src-main/node/db/state-store.js';
import { EpochStore, type LedgerInsert } from '../../src-main/node/db/epoch-store.js';
import { Checkpointer } from '../../src-main/node/db/checkpointer.js';

const BIN = resolve(process.cwd(), 'bin/rustchain.js');
const CHAIN = 'rustchain-devnet-bench';
const CONNECTIONS = 16;
const DURATION = 8;

interface Actor {
  seed: Uint8Array;
  publicKey: string;
  address: string;
}
function actor(i: number): Actor {
  const seed = new Uint8Array(32);
  new DataView(seed.buffer).setUint32(0, i + 1);
  seed[31] = 0x5a;
  const pk = keyPairFromSeed(seed).publicKey;
  return { seed, publicKey: bytesToHex(pk), address: addressFromPublicKey(pk) };
}

function startNode(dataDir: string, extra: string[]): Promise<{ proc: ChildProcess; url: string; ms: number }> {
  const t0 = performance.now();
  const proc = spawn(
    process.execPath,
    [BIN, 'node', '--data-dir', dataDir, '--api-port', '0', '--no-rate-limits', ...extra],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, RUSTCHAIN_LOG_LEVEL: 'warn' },
    },
  );
  return new Promise((res, rej) => {
    const rl = createInterface({ input: proc.stdout! });
    rl.once('line', (line) =>
      res({ proc, url: (JSON.parse(line) as { api: string }).api, ms: performance.now() - t0 }),
    );
    proc.once('exit', (code) => rej(new Error(`node exited ${code}`)));
  });
}

async function stopNode(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  await exited;
}

function run(
  opts: Record<string, unknown>,
): Promise<{ requests: { average: number }; '2xx': number; non2xx: number; duration: number }> {
  return new Promise((res, rej) =>
    autocannon(
      { connections: CONNECTIONS, ...(opts.amount === undefined ? { duration: DURATION } : {}), ...opts },
      (err: Error | null, r: never) => (err ? rej(err) : res(r)),
    ),
  );
}

function genesis(dir: string, allocs: string[]): { genesis: string; key: string } {
  const out = join(dir, 'g.json');
  const key = join(dir, 'v.json');
  const args = [
    'genesis',
    'create',
    '--out',
    out,
    '--chain-id',
    CHAIN,
    '--validator-key',
    key,
    '--slot-seconds',
    '600',
    '--epoch-slots',
    '144',
  ];
  for (const a of allocs) args.push('--alloc', `${a}=1000000000`);
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return { genesis: out, key };
}

async function httpBenches(results: BenchResult[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rc-bench-'));
  const senders = Array.from({ length: 400 }, (_, i) => actor(i));
  const g = genesis(
    dir,
    senders.map((s) => s.address),
  );
  const node = await startNode(join(dir, 'data'), ['--genesis', g.genesis, '--validator-key', g.key]);
  try {
    const bal = await run({ url: `${node.url}/wallet/balance?miner_id=${senders[0]!.address}` });
    results.push({
      suite: 'node',
      name: 'GET /wallet/balance',
      value: bal.requests.average,
      unit: 'req/s',
      ...atLeast(bal.requests.average, 15000),
    });

    // Round-robin over senders keeps each sender's nonces far apart in the request stream.
    const perSender = 60;
    const bodies: string[] = [];
    const to = actor(100_000).address;
    for (let n = 1; n <= perSender; n++) {
      for (const s of senders) {
        bodies.push(
          canonicalJson(
            signTransfer({ seed: s.seed, to, amountMicro: 1000n, memo: '', nonce: BigInt(n), chainId: CHAIN }).body,
          ),
        );
      }
    }
    let i = 0;
    const tr = await run({
      url: node.url,
      amount: bodies.length,
      requests: [
        {
          method: 'POST',
          path: '/wallet/transfer/signed',
          headers: { 'content-type': 'application/json' },
          setupRequest: (req: object) => ({ ...req, body: bodies[i++ % bodies.length] }),
        },
      ],
    });
    const accepted = tr['2xx'] / (tr.duration || 1);
    results.push({
      suite: 'node',
      name: 'POST /wallet/transfer/signed accepted',
      value: accepted,
      unit: 'tx/s',
      ...atLeast(accepted, 3000),
      notes: `${tr['2xx']} accepted, ${tr.non2xx} refused of ${bodies.length}`,
    });

    // Attestations: each worker asks for a challenge, signs over it with node:crypto and submits.
    const template = {
      device: {
        family: 'x86',
        arch: 'modern',
        cpu: 'Intel(R) Core(TM) i7-8700 CPU @ 3.20GHz',
        cores: 12,
        machine: 'x86_64',
      },
      signals: { macs: ['3c:7c:3f:1e:22:01'], hostname: 'bench' },
      fingerprint: {
        checks: {
          clock_drift: { passed: true, data: { cv: 0.036, drift_stdev: 81234 } },
          anti_emulation: { passed: true, data: { vm_indicators: [], is_likely_vm: false } },
        },
        all_passed: true,
      },
    };
    const miners = Array.from({ length: 2000 }, (_, k) => {
      const a = actor(200_000 + k);
      const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.from(a.seed)]);
      return { ...a, key: createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }) };
    });
    let done = 0;
    let next = 0;
    const deadline = performance.now() + DURATION * 1000;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (performance.now() < deadline) {
          const m = miners[next++ % miners.length]!;
          const ch = (await (
            await fetch(`${node.url}/attest/challenge`, { method: 'POST', body: JSON.stringify({ miner: m.address }) })
          ).json()) as { nonce: string };
          const body: JsonObject = {
            miner: m.address,
            nonce: ch.nonce,
            report: { nonce: ch.nonce, commitment: '00' },
            device: { ...template.device, serial: `S${m.address}` },
            signals: template.signals,
            fingerprint: template.fingerprint as unknown as JsonObject,
          };
          const sig = cryptoSign(null, Buffer.from(attestationSigningMessage(body)), m.key).toString('hex');
          const r = await fetch(`${node.url}/attest/submit`, {
            method: 'POST',
            body: canonicalJson({ ...body, signature: sig, public_key: m.publicKey, signature_type: 'canonical_json' }),
          });
          await r.arrayBuffer();
          if (r.status === 200) done++;
        }
      }),
    );
    const att = done / ((performance.now() - t0) / 1000);
    results.push({
      suite: 'node',
      name: 'POST /attest/submit (fresh challenge each)',
      value: att,
      unit: 'att/s',
      ...atLeast(att, 1000),
    });
  } finally {
    await stopNode(node.proc);
    rmSync(dir, { recursive: true, force: true });
  }
}

function* rewardLedgerRows(shares: readonly Share[]): Generator<LedgerInsert> {
  for (const x of shares) {
    if (x.shareI64 > 0n) {
      yield {
        ts: 0,
        epoch: 1,
        account: x.miner,
        deltaI64: x.shareI64,
        reason: 'epoch_1_reward',
        txHash: null,
        counterparty: null,
      };
    }
  }
}

/**
 * B.5 split, crediting and the SQLite write of balances, reward and ledger rows in one transaction, on a
 * connection set up as the node sets up its own (WAL checkpoints in the background worker).
 */
async function settlementBench(n: number): Promise<{ ms: number; rssMb: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'rc-settle-'));
  try {
    const path = join(dir, 'node.db');
    const db = openDatabase(path);
    const checkpointer = Checkpointer.start(db, path);
    const stateStore = new StateStore(db);
    const epochs = new EpochStore(db);
    const miners = Array.from({ length: n }, (_, i) => 'RTC' + (i + 1).toString(16).padStart(40, '0'));
    const weights = [800_000_000n, 1_200_000_000n, 2_500_000_000n, 500_000n, 1_050_000_000n];
    const enrollments = miners.map((miner, i) => ({ miner, weightUnits: weights[i % weights.length] as bigint }));
    const prev = emptyState();
    const t0 = performance.now();
    const s = settle({ potI64: 1_500_000n, totalSupplyBeforeI64: 0n, enrollments });
    const next = { ...prev, balances: new Map(prev.balances), totalSupplyI64: prev.totalSupplyI64 + s.mintedI64 };
    for (const sh of s.shares) if (sh.shareI64 > 0n) addBalance(next, sh.miner, sh.shareI64);
    const diff = stateDiff(prev, next, { accounts: miners, senders: [], pins: [] });
    db.transaction(() => {
      epochs.insert(
        {
          epoch: 1,
          epoch_hash: 'x',
          header: '{}',
          body: '{}',
          results: '{}',
          certificate: '{}',
          votes: '{}',
          committed_at: 0,
          attestation_count: n,
          transfer_count: 0,
          minted_i64: Number(s.mintedI64),
          total_supply_i64: Number(s.mintedI64),
        },
        rewardLedgerRows(s.shares),
        s.shares,
      );
      stateStore.apply(diff);
    })();
    const ms = performance.now() - t0;
    const rssMb = process.memoryUsage().rss / 1e6;
    await checkpointer.stop();
    db.close();
    return { ms, rssMb };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function startOnBigDb(results: BenchResult[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rc-big-'));
  try {
    const dataDir = join(dir, 'data');
    const g = genesis(dir, [actor(1).address]);
    const first = await startNode(dataDir, ['--genesis', g.genesis, '--validator-key', g.key]);
    await stopNode(first.proc);
    const db = new Database(join(dataDir, 'node.db'));
    db.pragma('journal_mode = WAL');
    // ~1 GB of history: ledger rows with long reasons, written in batches.
    const pad = 'x'.repeat(60);
    for (let batch = 0; batch < 40; batch++) {
      db.exec(`WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 250000)
        INSERT INTO ledger (ts, epoch, account, delta_i64, reason, tx_hash, counterparty)
        SELECT 1, ${batch}, 'RTC' || printf('%040x', i + ${batch} * 250000), i, 'transfer_in:${pad}:' || printf('%032x', i), printf('%032x', i), 'RTC${'0'.repeat(40)}' FROM c`);
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
    const size =
      (db.prepare('PRAGMA page_count').pluck().get() as number) *
      (db.prepare('PRAGMA page_size').pluck().get() as number);
    db.close();
    const second = await startNode(dataDir, ['--genesis', g.genesis, '--validator-key', g.key]);
    await stopNode(second.proc);
    results.push({
      suite: 'node',
      name: 'start to ready on an existing database',
      value: second.ms,
      unit: 'ms',
      ...atMost(second.ms, 1000),
      notes: `database ${(size / 1e9).toFixed(2)} GB (process spawn included)`,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export default async function nodeSuite(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  await httpBenches(results);
  const s100k = await settlementBench(100_000);
  results.push({
    suite: 'node',
    name: 'settlement, 100,000 enrolled miners',
    value: s100k.ms,
    unit: 'ms',
    ...atMost(s100k.ms, 500),
  });
  const s1m = await settlementBench(1_000_000);
  results.push({
    suite: 'node',
    name: 'settlement, 1,000,000 enrolled miners',
    value: s1m.ms,
    unit: 'ms',
    ...atMost(s1m.ms, 5000),
    notes: `RSS ${s1m.rssMb.toFixed(0)} MB (target <= 400)`,
  });
  await startOnBigDb(results);
  return results;
}
