import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AnchorQueue, retryDelaySeconds, type AnchorEvent } from '../../src-main/node/anchor/anchor-queue.js';
import {
  AnchorConfigError,
  loadErgoConfig,
  parseErgoConfig,
  type ErgoConfig,
} from '../../src-main/node/anchor/config.js';
import { ErgoClient } from '../../src-main/node/anchor/ergo-client.js';
import { openAnchorQueue } from '../../src-main/node/anchor/index.js';
import { ManualClock } from '../../src-main/node/clock.js';
import { openDatabase } from '../../src-main/node/db/open.js';
import { loadVectors } from '../support/vectors.js';
import { FakeErgo } from './support/fake-ergo.js';

interface EpochVector {
  epoch: number;
  epoch_hash: string;
  ergo_anchor_request: { requests: { address: string }[] };
}
const record = loadVectors<{ epochs: EpochVector[] }>('epoch-record');
const [e357, e358, e359] = record.epochs as [EpochVector, EpochVector, EpochVector];
const ERGO_ADDRESS = '9fRAWhdxEsTcdb8PhGNrZfwqa65zfkuYHAMmkQLcic1gdLSV5vA';
const T0 = 1_800_000_000;

let dir: string;
let db: Database.Database;
let ergo: FakeErgo;
let clock: ManualClock;
let events: AnchorEvent[];
const queues: AnchorQueue[] = [];

function config(over: Partial<ErgoConfig> = {}): ErgoConfig {
  return parseErgoConfig({ url: ergo.url, api_key: ergo.apiKey, address: ERGO_ADDRESS, ...over });
}

function makeQueue(cfg: ErgoConfig = config(), timeoutMs = 5_000): AnchorQueue {
  const q = new AnchorQueue(db, new ErgoClient(cfg, { timeoutMs }), { clock, onEvent: (e) => events.push(e) });
  queues.push(q);
  return q;
}

/** Moves the clock and waits for whatever attempt the due timers started. */
async function advance(q: AnchorQueue, seconds: number): Promise<void> {
  clock.advance(seconds);
  await q.whenIdle();
}

function row(q: AnchorQueue, epoch: number) {
  return q.list({ limit: 100 }).anchors.find((a) => a.epoch === epoch);
}

async function closedPortUrl(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rc-anchor-'));
  db = new Database(join(dir, 'node.db'));
  ergo = await FakeErgo.start();
  clock = new ManualClock(T0);
  events = [];
});

afterEach(async () => {
  for (const q of queues.splice(0)) await q.stop();
  await ergo.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('anchoring in mode send (B.9)', () => {
  it('sends the vector body with the api key and records the Ergo transaction id', async () => {
    const q = makeQueue();
    q.enqueue(e357.epoch, e357.epoch_hash);
    expect(q.backlog()).toBe(1);
    q.start();
    await q.whenIdle();

    const [send] = ergo.sends();
    expect(send?.apiKey).toBe(ergo.apiKey);
    const expected = structuredClone(e357.ergo_anchor_request);
    expected.requests[0]!.address = ERGO_ADDRESS;
    expect(send?.body).toEqual(expected);
    const txId = ergo.mempool[0]?.id;
    expect(row(q, 357)).toMatchObject({
      status: 'submitted',
      tx_id: txId,
      attempts: 1,
      last_error: null,
      updated_at: T0,
    });
    expect(q.backlog()).toBe(0);
    expect(q.status(357)).toEqual({ status: 'submitted', tx_id: txId });
    expect(ergo.lookups()).toEqual([]);
  });

  it('anchors in epoch order', async () => {
    const q = makeQueue();
    q.enqueue(e359.epoch, e359.epoch_hash);
    q.enqueue(e357.epoch, e357.epoch_hash);
    q.enqueue(e358.epoch, e358.epoch_hash);
    q.start();
    await q.whenIdle();
    const r5s = ergo
      .sends()
      .map((s) => (s.body as { requests: { registers: { R5: string } }[] }).requests[0]!.registers.R5);
    expect(r5s).toEqual(['05ca05', '05cc05', '05ce05']);
    expect(q.list().anchors.map((a) => [a.epoch, a.status])).toEqual([
      [359, 'submitted'],
      [358, 'submitted'],
      [357, 'submitted'],
    ]);
  });

  it('keeps a refused anchor pending while Ergo is down and backs off 30 s × 2^(n−1) up to 1 h', async () => {
    const q = makeQueue(config({ url: await closedPortUrl() }));
    q.enqueue(e357.epoch, e357.epoch_hash);
    q.start();
    await q.whenIdle();
    expect(row(q, 357)).toMatchObject({ status: 'pending', attempts: 1, tx_id: null });
    expect(row(q, 357)?.last_error).toContain('ECONNREFUSED');

    await advance(q, 29);
    expect(row(q, 357)?.attempts).toBe(1);
    await advance(q, 1);
    expect(row(q, 357)?.attempts).toBe(2);

    for (let i = 0; i < 8; i++) {
      const last = events.at(-1) as Extract<AnchorEvent, { type: 'failed' }>;
      await advance(q, last.retryAt - clock.now());
    }
    const delays = events.map((e) => (e.type === 'failed' ? e.retryAt : 0));
    const gaps = delays.slice(1).map((t, i) => t - delays[i]!);
    expect(gaps).toEqual([60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]);
    expect([1, 2, 7, 8, 9, 50].map(retryDelaySeconds)).toEqual([30, 60, 1920, 3600, 3600, 3600]);
    expect(q.backlog()).toBe(1);
  });

  it('records Ergo error replies without the api key and retries them', async () => {
    ergo.sendScript.push({ status: 400, reason: 'bad.request', detail: 'Wallet is locked' });
    const q = makeQueue();
    q.enqueue(e357.epoch, e357.epoch_hash);
    q.start();
    await q.whenIdle();
    expect(row(q, 357)).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row(q, 357)?.last_error).toBe('Ergo HTTP 400: bad.request: Wallet is locked');
  });

  it('records a rejected api key without writing the key anywhere', async () => {
    const q = makeQueue(config({ api_key: 'not-the-key' }));
    q.enqueue(e358.epoch, e358.epoch_hash);
    q.start();
    await q.whenIdle();
    const err = row(q, 358)?.last_error ?? '';
    expect(err).toBe('Ergo HTTP 403: Forbidden: Provided API key is not correct');
    expect(JSON.stringify(q.list())).not.toContain('not-the-key');
  });

  it('succeeds on a later retry without a look-up after a definite failure', async () => {
    ergo.sendScript.push({ status: 500, reason: 'Internal Server Error', detail: 'not enough boxes' });
    const q = makeQueue();
    q.enqueue(e357.epoch, e357.epoch_hash);
    q.start();
    await q.whenIdle();
    expect(row(q, 357)?.status).toBe('pending');
    await advance(q, 30);
    expect(row(q, 357)).toMatchObject({
      status: 'submitted',
      attempts: 2,
      last_error: null,
      tx_id: ergo.mempool[0]?.id,
    });
    expect(ergo.sends()).toHaveLength(2);
    expect(ergo.lookups()).toEqual([]);
  });

  it('holds later epochs behind a failing one for 24 h, then lets them pass and retries hourly', async () => {
    const q = makeQueue();
    // Every send of 357 fails; 358 is not even attempted until 357 gives way.
    ergo.failingR5.add('05ca05');
    q.enqueue(e357.epoch, e357.epoch_hash);
    q.enqueue(e358.epoch, e358.epoch_hash);
    q.start();
    await q.whenIdle();
    for (let guard = 0; guard < 40 && row(q, 357)?.status === 'pending'; guard++) {
      await advance(q, 3600);
      if (row(q, 357)?.status === 'pending') expect(row(q, 358)?.attempts).toBe(0);
    }
    expect(clock.now() - T0).toBeGreaterThanOrEqual(24 * 3600);
    expect(row(q, 357)?.status).toBe('failed_retrying');
    expect(row(q, 358)?.status).toBe('submitted');

    ergo.failingR5.clear();
    await advance(q, 3600);
    expect(row(q, 357)?.status).toBe('submitted');
    expect(q.backlog()).toBe(0);
  });

  it('is idempotent: enqueueing twice sends once; a different hash for the same epoch is refused', async () => {
    const q = makeQueue();
    q.start();
    q.enqueue(e357.epoch, e357.epoch_hash);
    q.enqueue(e357.epoch, e357.epoch_hash);
    await q.whenIdle();
    q.enqueue(e357.epoch, e357.epoch_hash);
    await q.whenIdle();
    expect(ergo.sends()).toHaveLength(1);
    expect(q.list().total).toBe(1);
    expect(() => q.enqueue(e357.epoch, e358.epoch_hash)).toThrow(/already queued/);
    expect(() => q.enqueue(-1, e357.epoch_hash)).toThrow(RangeError);
    expect(() => q.enqueue(1, 'ABC')).toThrow(RangeError);
  });

  it('finds a timed-out send that reached Ergo in the mempool and does not send it again', async () => {
    ergo.sendScript.push('hang');
    const q = makeQueue(config(), 300);
    q.enqueue(e357.epoch, e357.epoch_hash);
    q.start();
    await q.whenIdle();
    expect(row(q, 357)?.last_error).toContain('timed out');
    await advance(q, 30);
    expect(ergo.sends()).toHaveLength(1);
    expect(ergo.lookups().length).toBeGreaterThan(0);
    expect(row(q, 357)).toMatchObject({ status: 'submitted', tx_id: ergo.mempool[0]?.id, attempts: 2 });
    expect(events.at(-1)).toMatchObject({ type: 'submitted', foundByLookup: true });
  });

  it('finds a send whose connection dropped among the wallet transactions', async () => {
    ergo.sendScript.push('drop');
    const q = makeQueue();
    q.enqueue(e357.epoch, e357.epoch_hash);
    q.start();
    await q.whenIdle();
    expect(row(q, 357)?.status).toBe('pending');
    ergo.confirmAll();
    await advance(q, 30);
    expect(ergo.sends()).toHaveLength(1);
    expect(row(q, 357)).toMatchObject({ status: 'submitted', tx_id: ergo.walletTxs[0]?.id });
  });

  it('sends again when the look-up itself fails', async () => {
    ergo.sendScript.push('drop');
    const q = makeQueue();
    q.enqueue(e357.epoch, e357.epoch_hash);
    q.start();
    await q.whenIdle();
    ergo.lookupBroken = true;
    await advance(q, 30);
    expect(ergo.sends()).toHaveLength(2);
    expect(row(q, 357)).toMatchObject({ status: 'submitted', tx_id: ergo.mempool[1]?.id });
  });

  it('looks up an anchor whose sender died mid-request instead of re-sending it', async () => {
    ergo.sendScript.push('hang');
    const dying = makeQueue(config(), 2_000);
    dying.enqueue(e357.epoch, e357.epoch_hash);
    dying.start();
    // A second process on the same database file (as after a crash and restart) sees the unfinished send.
    const db2 = new Database(join(dir, 'node.db'));
    try {
      const restarted = new AnchorQueue(db2, new ErgoClient(config()), { clock });
      restarted.start();
      await restarted.whenIdle();
      await restarted.stop();
      expect(ergo.sends()).toHaveLength(1);
      expect(restarted.status(357)).toEqual({ status: 'submitted', tx_id: ergo.mempool[0]?.id });
      // The dead sender's late time-out does not undo the recorded submission.
      await dying.stop();
      expect(dying.status(357)?.status).toBe('submitted');
    } finally {
      db2.close();
    }
  });

  it('works on the anchors table created by the node migrations', async () => {
    db.close();
    db = openDatabase(join(dir, 'migrated.db'));
    const q = makeQueue();
    q.enqueue(e357.epoch, e357.epoch_hash);
    q.start();
    await q.whenIdle();
    const viaApiQuery = db
      .prepare('SELECT epoch, epoch_hash, tx_id, status, attempts, last_error, updated_at FROM anchors')
      .all();
    expect(viaApiQuery).toEqual(q.list().anchors);
    expect(q.list().anchors[0]?.status).toBe('submitted');
  });

  it('pages /anchor/list newest first', () => {
    const q = makeQueue();
    for (const e of record.epochs.slice(0, 5)) q.enqueue(e.epoch, e.epoch_hash);
    const page = q.list({ limit: 2, offset: 1 });
    expect(page.total).toBe(5);
    expect(page.anchors.map((a) => a.epoch)).toEqual([record.epochs[3]!.epoch, record.epochs[2]!.epoch]);
    expect(q.list({ limit: 0 }).anchors).toHaveLength(1);
  });
});

describe('anchoring in mode sign (B.9, MAY)', () => {
  it('unlocks the wallet, signs a two-output transaction from a large enough box and broadcasts it', async () => {
    const q = makeQueue(config({ mode: 'sign', fee_nanoerg: 0, wallet_password: ergo.walletPassword }));
    q.enqueue(e357.epoch, e357.epoch_hash);
    q.start();
    await q.whenIdle();
    const unlock = ergo.requests.find((r) => r.path === '/wallet/unlock');
    expect(unlock?.body).toEqual({ pass: ergo.walletPassword });
    const sign = ergo.requests.find((r) => r.path === '/wallet/transaction/sign')?.body as {
      tx: {
        inputs: { boxId: string }[];
        outputs: { value: number; creationHeight: number; additionalRegisters: object }[];
      };
      inputsRaw: string[];
    };
    expect(sign.tx.inputs).toEqual([{ boxId: 'b2'.repeat(32), extension: {} }]);
    expect(sign.inputsRaw).toEqual(['cafe'.repeat(20)]);
    expect(sign.tx.outputs.map((o) => [o.value, o.creationHeight, o.additionalRegisters])).toEqual([
      [1_000_000, 123456, { R4: '0e20' + e357.epoch_hash, R5: '05ca05' }],
      [49_000_000, 123456, {}],
    ]);
    expect(row(q, 357)).toMatchObject({ status: 'submitted', tx_id: ergo.mempool[0]?.id });
  });

  it('records a wrong wallet password as a failed attempt', async () => {
    const q = makeQueue(config({ mode: 'sign', fee_nanoerg: 0, wallet_password: 'wrong' }));
    q.enqueue(e357.epoch, e357.epoch_hash);
    q.start();
    await q.whenIdle();
    expect(row(q, 357)).toMatchObject({
      status: 'pending',
      last_error: 'Ergo HTTP 400: bad.request: Wallet could not be unlocked',
    });
    expect(ergo.sends()).toEqual([]);
  });
});

describe('openAnchorQueue', () => {
  it('is null without an ergo key and anchors with one', async () => {
    expect(openAnchorQueue(dir, db)).toBeNull();
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({ ergo: { url: ergo.url, api_key: ergo.apiKey, address: ERGO_ADDRESS } }),
    );
    const q = openAnchorQueue(dir, db, { clock });
    expect(q).not.toBeNull();
    queues.push(q!);
    q!.start();
    q!.enqueue(e357.epoch, e357.epoch_hash);
    await q!.whenIdle();
    expect(q!.status(357)).toEqual({ status: 'submitted', tx_id: ergo.mempool[0]?.id });
  });
});

describe('ergo configuration', () => {
  it('is off without config.json or without the ergo key', () => {
    expect(loadErgoConfig(dir)).toBeNull();
    writeFileSync(join(dir, 'config.json'), '{"other":1}');
    expect(loadErgoConfig(dir)).toBeNull();
  });

  it('applies the B.9 defaults', () => {
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({ ergo: { url: 'http://127.0.0.1:9053', api_key: 'k', address: ERGO_ADDRESS } }),
    );
    expect(loadErgoConfig(dir)).toEqual({
      url: 'http://127.0.0.1:9053',
      api_key: 'k',
      address: ERGO_ADDRESS,
      value_nanoerg: 1_000_000,
      fee_nanoerg: 1_000_000,
      mode: 'send',
    });
  });

  it('names every invalid field', () => {
    const bad = (ergoValue: unknown) => {
      writeFileSync(join(dir, 'config.json'), JSON.stringify({ ergo: ergoValue }));
      try {
        loadErgoConfig(dir);
      } catch (err) {
        expect(err).toBeInstanceOf(AnchorConfigError);
        return (err as Error).message;
      }
      throw new Error('expected an AnchorConfigError');
    };
    const base = { url: 'http://127.0.0.1:9053', api_key: 'k', address: ERGO_ADDRESS };
    expect(bad({ ...base, url: 'ftp://x' })).toContain('ergo.url');
    expect(bad({ ...base, fee_nanoerg: -1 })).toContain('ergo.fee_nanoerg');
    expect(bad({ ...base, value_nanoerg: 1.5 })).toContain('ergo.value_nanoerg');
    expect(bad({ ...base, mode: 'sign' })).toContain('fee_nanoerg = 0');
    expect(bad({ ...base, address: '0OIl' })).toContain('ergo.address');
    expect(bad({ ...base, apikey: 'typo' })).toContain('apikey');
    expect(bad({ url: 'http://x' })).toContain('ergo.api_key');
    writeFileSync(join(dir, 'config.json'), '{not json');
    expect(() => loadErgoConfig(dir)).toThrow(AnchorConfigError);
  });
});
