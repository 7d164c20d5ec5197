/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are untyped JSON */
/**
 * Every endpoint of A.8.2 and the error rows of A.6.5, A.7 and A.8 against a real node process:
 * shapes, status codes, error codes, headers, limits.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadVectorsText } from '../support/vectors.js';
import { bytesToHex } from '../../src-main/protocol/bytes.js';
import { sign } from '../../src-main/protocol/keys.js';
import { canonicalJson, type JsonObject } from '../../src-main/protocol/canonical-json.js';
import {
  attestationSigningMessage,
  enrollmentMessage,
  pipeSigningMessage,
} from '../../src-main/protocol/attestation.js';
import { actor, fingerprintTemplates, signedAttestation, transferBody, type Actor } from './support/actors.js';
import { createGenesis, getJson, postText, startNode, tempDir, type RunningNode } from './support/node-process.js';

const CHAIN = 'rustchain-devnet-endpoints';
const sender = actor(0x21);
const templates = fingerprintTemplates(loadVectorsText('fingerprint-validation'));
const x86 = templates.get('x86_modern_real_hardware')!.attestation;

let node: RunningNode;
let url: string;
let ipCounter = 0;
/** A fresh simulated client (X-Real-IP from loopback) so rate limits of one test do not hit another. */
const freshIp = () => ({ 'x-real-ip': `10.0.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}` });

beforeAll(async () => {
  const dir = tempDir();
  const g = createGenesis({
    dir,
    chainId: CHAIN,
    allocs: { [sender.address]: 50_000_000 },
    genesisTime: Math.floor(Date.now() / 1000) - 20,
    slotSeconds: 2,
    epochSlots: 3,
    graceSeconds: 1,
  });
  node = await startNode(`${dir}/data`, ['--genesis', g.genesis, '--validator-key', g.validatorKey]);
  url = node.url;
}, 30_000);

afterAll(async () => {
  expect(await node.stop()).toBe(0);
});

async function challenge(miner?: string): Promise<string> {
  const r = await postText(`${url}/attest/challenge`, miner ? JSON.stringify({ miner }) : '', freshIp());
  expect(r.status).toBe(200);
  return r.body.nonce as string;
}

async function attest(m: Actor, tpl = x86, headers = freshIp()) {
  const nonce = await challenge(m.address);
  return postText(`${url}/attest/submit`, signedAttestation(m, nonce, tpl), headers);
}

describe('conventions (A.8.1)', () => {
  it('sets the security headers, echoes a valid X-Request-Id and has no CORS', async () => {
    const r = await fetch(`${url}/health`, { headers: { 'x-request-id': 'abc.DEF-1_2', origin: 'http://evil' } });
    expect(r.headers.get('x-request-id')).toBe('abc.DEF-1_2');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('x-frame-options')).toBe('DENY');
    expect(r.headers.get('referrer-policy')).toBe('no-referrer');
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
    const text = await r.text();
    expect(text.endsWith('}\n')).toBe(true);
    const bad = await fetch(`${url}/health`, { headers: { 'x-request-id': 'bad id!' } });
    expect(bad.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('answers JSON 404 and 405', async () => {
    expect(await getJson(`${url}/nope`)).toMatchObject({ status: 404, body: { ok: false, error: 'not_found' } });
    expect(await getJson(`${url}/pending/confirm`)).toMatchObject({ status: 404 });
    const r = await postText(`${url}/health`, '{}');
    expect(r).toMatchObject({ status: 405, body: { ok: false, error: 'method_not_allowed' } });
    const g = await getJson(`${url}/wallet/transfer/signed`);
    expect(g).toMatchObject({ status: 405, body: { error: 'method_not_allowed' } });
  });

  it('refuses bodies over 1 MiB by Content-Length and while reading (413)', async () => {
    const big = '{"x":"' + 'a'.repeat(1024 * 1024) + '"}';
    const r = await postText(`${url}/wallet/transfer/signed`, big);
    expect(r.status).toBe(413);
    expect(r.body).toEqual({ ok: false, code: 'REQUEST_TOO_LARGE', error: 'request body exceeds the 1 MB limit' });
    const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const u = new URL(`${url}/attest/submit`);
      const req = request(
        {
          host: u.hostname,
          port: u.port,
          path: u.pathname,
          method: 'POST',
          headers: { 'transfer-encoding': 'chunked' },
        },
        (res) => {
          let b = '';
          res.on('data', (d: Buffer) => (b += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: b }));
        },
      );
      req.on('error', reject);
      const chunk = 'a'.repeat(64 * 1024);
      for (let i = 0; i < 20; i++) req.write(chunk);
      req.end();
    });
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body).code).toBe('REQUEST_TOO_LARGE');
  });

  it('parses bodies regardless of Content-Type', async () => {
    const t = transferBody(sender, actor(0x22).address, 1000n, 1n, 'other-chain');
    const r = await postText(`${url}/wallet/transfer/signed`, t.text, { 'content-type': 'text/plain' });
    expect(r.body.error).toBe('chain_id does not match active network');
  });
});

describe('health, chain time and network', () => {
  it('serves /health, /ready, /epoch, /network/info, /api/stats, /metrics', async () => {
    const h = (await getJson(`${url}/health`)).body;
    expect(h).toMatchObject({
      ok: true,
      version: '2.2.1-rip200',
      db_rw: true,
      backup_age_hours: null,
      clock_skew: false,
    });
    expect(h.implementation).toMatch(/^rustchain-desktop\//);
    expect(await getJson(`${url}/ready`)).toMatchObject({
      status: 200,
      body: { ready: true, version: '2.2.1-rip200' },
    });
    const e = (await getJson(`${url}/epoch`)).body;
    expect(e).toMatchObject({ blocks_per_epoch: 3, epoch_pot: 1.5, total_supply_rtc: 8388608, chain_id: CHAIN });
    expect(e.epoch_end - e.epoch_start).toBe(6);
    expect(e.proposal_due).toBe(e.epoch_end + 1);
    const n = (await getJson(`${url}/network/info`)).body;
    expect(n).toMatchObject({ chain_id: CHAIN, network: 'devnet', peer_count: 0, min_fee: 0, version: '2.2.1-rip200' });
    expect(n.genesis_hash).toMatch(/^[0-9a-f]{64}$/);
    const s = (await getJson(`${url}/api/stats`)).body;
    expect(s).toMatchObject({ chain_id: CHAIN, block_time: 2, pending_withdrawals: 0, features: [] });
    const m = await fetch(`${url}/metrics`);
    expect(m.headers.get('content-type')).toBe('text/plain; version=0.0.4');
    const text = await m.text();
    for (const series of [
      'rustchain_current_epoch',
      'rustchain_current_slot',
      'rustchain_committed_epoch',
      'rustchain_enrolled_miners',
      'rustchain_attestation_pool_active_miners',
      'rustchain_pending_transfers',
      'rustchain_peers_connected',
      'rustchain_total_supply_urtc',
      'rustchain_attestations_total',
      'rustchain_transfers_total',
      'rustchain_gossip_messages_total',
      'rustchain_http_requests_total',
      'rustchain_anchor_backlog',
    ]) {
      expect(text).toContain(`# HELP ${series}`);
      expect(text).toContain(`# TYPE ${series}`);
    }
  });

  it('serves the stubs, peers and anchors', async () => {
    const l = (await getJson(`${url}/lottery/eligibility?miner_id=x`)).body;
    expect(l).toMatchObject({ eligible: false, reason: 'not_your_turn', rotation_size: 0, slot_producer: null });
    expect((await postText(`${url}/headers/ingest_signed`, '{"anything":1}')).body).toEqual({
      ok: true,
      ignored: true,
    });
    expect((await getJson(`${url}/api/peers`)).body).toMatchObject({ ok: true, peers: [] });
    expect((await getJson(`${url}/anchor/list`)).body).toEqual({ ok: true, anchors: [], total: 0 });
  });
});

describe('wallet reads', () => {
  it('validates balance parameters', async () => {
    expect((await getJson(`${url}/wallet/balance`)).body).toEqual({ ok: false, error: 'miner_id or address required' });
    expect((await getJson(`${url}/wallet/balance?miner_id=bad%20id`)).body).toEqual({
      ok: false,
      error: 'invalid miner_id',
    });
    expect((await getJson(`${url}/wallet/balance?address=a&miner_id=b`)).body.error).toBe(
      'miner_id and address must match when both are provided',
    );
    const b = (await getJson(`${url}/wallet/balance?address=${sender.address}`)).body;
    expect(b).toMatchObject({ miner_id: sender.address, amount_i64: 50_000_000, amount_rtc: 50 });
    expect((await getJson(`${url}/api/wallet/${sender.address}`)).body).toEqual(b);
    expect((await getJson(`${url}/api/wallet/bad%20id`)).status).toBe(400);
    expect((await getJson(`${url}/balance/${sender.address}`)).body).toEqual({
      miner_pk: sender.address,
      balance_rtc: 50,
      amount_i64: 50_000_000,
    });
    const zero = await fetch(`${url}/wallet/balance?miner_id=nobody`);
    expect(await zero.text()).toContain('"amount_rtc":0.0');
  });

  it('tracks a transfer through history, tx, pending list and transactions', async () => {
    const t = transferBody(sender, actor(0x23).address, 2_000_000n, 10n, CHAIN, 'hello');
    const r = await postText(`${url}/wallet/transfer/signed`, t.text);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      ok: true,
      verified: true,
      signature_type: 'Ed25519',
      replay_protected: true,
      phase: 'pending',
      chain_id: CHAIN,
    });
    const tx = (await getJson(`${url}/wallet/tx/${t.txHash.toUpperCase()}`)).body;
    expect(tx).toMatchObject({ ok: true, tx_hash: t.txHash, status: 'pending', confirmations: 0 });
    expect((await getJson(`${url}/wallet/tx/abc`)).body.error).toBe(
      'tx_hash must be exactly 32 hexadecimal characters',
    );
    expect(await getJson(`${url}/wallet/tx/${'0'.repeat(32)}`)).toMatchObject({
      status: 404,
      body: { status: 'not_found', error: 'transaction_not_found' },
    });
    const pl = (await getJson(`${url}/pending/list?miner_id=${sender.address}`)).body;
    expect(pl.pending[0]).toMatchObject({
      tx_hash: t.txHash,
      reason: 'signed_transfer:hello',
      status: 'pending',
      voided_by: null,
    });
    expect((await getJson(`${url}/pending/list?status=weird`)).body).toEqual({ ok: false, error: 'invalid status' });
    expect((await getJson(`${url}/wallet/history?miner_id=${sender.address}&limit=x`)).body).toEqual({
      ok: false,
      error: 'limit must be an integer',
    });
    const hist = (await getJson(`${url}/wallet/history?miner_id=${sender.address}`)).body;
    expect(hist.transactions[0]).toMatchObject({
      type: 'transfer_out',
      status: 'pending',
      tx_hash: t.txHash,
      epoch: null,
    });
    const txs = (await getJson(`${url}/api/transactions`)).body;
    expect(txs.transactions.some((x: any) => x.source === 'pending_ledger' && x.tx_hash === t.txHash)).toBe(true);
    const committed = await node.waitEvent((e) => e.event === 'epoch_committed' && (e.transfers as number) > 0);
    const after = (await getJson(`${url}/wallet/tx/${t.txHash}`)).body;
    expect(after).toMatchObject({ status: 'confirmed', epoch: committed.epoch, block_height: committed.epoch });
    const ledger = (await getJson(`${url}/wallet/ledger?miner_id=${sender.address}`)).body.items;
    expect(ledger.map((i: any) => i.reason)).toContain('genesis_allocation');
    expect(
      ledger.some(
        (i: any) => i.reason === `transfer_out:${actor(0x23).address}:${t.txHash}` && i.delta_i64 === -2_000_000,
      ),
    ).toBe(true);
    const txs2 = (await getJson(`${url}/api/transactions?limit=500`)).body;
    expect(txs2.transactions.filter((x: any) => x.tx_hash === t.txHash && x.source === 'ledger')).toHaveLength(2);
  }, 30_000);

  it('lists epochs and serves their records', async () => {
    const first = await node.waitEvent((e) => e.event === 'epoch_committed');
    await node.waitEvent((e) => e.event === 'epoch_committed' && (e.epoch as number) > (first.epoch as number));
    const list = (await getJson(`${url}/api/epochs?limit=2`)).body;
    expect(list.ok).toBe(true);
    expect(list.epochs.length).toBe(2);
    const e = list.epochs[0];
    const d = (await getJson(`${url}/api/epoch/${e.epoch}`)).body;
    expect(d).toMatchObject({ ok: true, epoch: e.epoch, epoch_hash: e.epoch_hash });
    expect(d.certificate.type).toBe('commit');
    expect((await getJson(`${url}/api/epoch/99999999999`)).status).toBe(404);
    expect((await getJson(`${url}/api/epoch/-1`)).status).toBe(404);
    expect((await getJson(`${url}/rewards/epoch/abc`)).status).toBe(404);
    expect((await getJson(`${url}/rewards/epoch/${e.epoch}`)).body).toMatchObject({ epoch: e.epoch, rewards: [] });
    const v2 = (await getJson(`${url}/api/v2/epochs?limit=1`)).body;
    expect(v2.epochs).toHaveLength(1);
    const page2 = (await getJson(`${url}/api/v2/epochs?limit=1&before=${v2.next_before}`)).body;
    expect(page2.epochs[0].epoch).toBe(v2.epochs[0].epoch - 1);
    expect((await getJson(`${url}/api/v2/epochs/${e.epoch}`)).body.body.epoch).toBe(e.epoch);
    expect((await getJson(`${url}/api/v2/search?q=${e.epoch_hash}`)).body).toMatchObject({
      kind: 'epoch',
      result: { epoch: e.epoch },
    });
    expect((await getJson(`${url}/api/v2/address/${sender.address}?limit=1`)).body.ledger).toHaveLength(1);
  });
});

describe('attestation (A.6) and enrollment (A.7)', () => {
  it('issues challenges and enforces their rules', async () => {
    const r = await postText(`${url}/attest/challenge`, '', freshIp());
    expect(r.body.nonce).toMatch(/^[0-9a-f]{64}$/);
    expect(r.body.expires_at - r.body.server_time).toBe(300);
    expect(r.body.bound_miner).toBeNull();
    expect((await postText(`${url}/attest/challenge`, '[1]', freshIp())).body.code).toBe('INVALID_JSON_OBJECT');
    expect(
      (await postText(`${url}/attest/challenge`, '{"miner":"4Nd1mBQtrMJVYVfKf2PJy9NZUZdTAsp7D4xWLs4gDB4T"}', freshIp()))
        .body.code,
    ).toBe('INVALID_MINER_WALLET_FORMAT');
    const ip = freshIp();
    const codes: number[] = [];
    for (let i = 0; i < 11; i++) codes.push((await postText(`${url}/attest/challenge`, '', ip)).status);
    expect(codes.slice(0, 10).every((c) => c === 200)).toBe(true);
    const limited = await postText(`${url}/attest/challenge`, '', ip);
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ ok: false, error: 'rate_limited', code: 'CHALLENGE_RATE_LIMIT' });
  });

  it('refuses bad submissions with the A.6.5 codes', async () => {
    const m = actor(0x81);
    const post = (body: string, headers = freshIp()) => postText(`${url}/attest/submit`, body, headers);
    expect((await post('[]')).body.code).toBe('INVALID_JSON_OBJECT');
    expect((await post('{"device":1}')).body.code).toBe('INVALID_DEVICE');
    expect(
      (
        await post(
          JSON.stringify({
            miner: m.address,
            device: { cores: 1 },
            signals: { macs: [] },
            fingerprint: { checks: { a: true } },
          }),
        )
      ).body.code,
    ).toBe('MISSING_SIGNATURE');
    const nonce = await challenge(m.address);
    const good = JSON.parse(signedAttestation(m, nonce, x86));
    expect((await post(JSON.stringify({ ...good, signature: '00'.repeat(64) }))).body.code).toBe('INVALID_SIGNATURE');
    const other = actor(0x82);
    const stolen = JSON.parse(signedAttestation(other, nonce, x86));
    expect((await post(JSON.stringify({ ...stolen, miner: m.address }))).body.code).toBe('INVALID_SIGNATURE');
    const mismatch = await post(signedAttestation(other, nonce, x86).replace(other.address, m.address));
    expect(mismatch.body.code).toBe('INVALID_SIGNATURE');
    expect((await post(signedAttestation(m, 'ff'.repeat(32), x86))).body.code).toBe('CHALLENGE_INVALID');
    // bound to m: another miner's submission is refused and does not consume the nonce
    const wrongMiner = await post(signedAttestation(other, nonce, x86));
    expect(wrongMiner.status).toBe(403);
    expect(wrongMiner.body.code).toBe('NONCE_IDENTITY_MISMATCH');
    const ok = await post(JSON.stringify(good));
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      ok: true,
      status: 'accepted',
      temporal_review_flag: false,
      measurement_binding_state: 'absent',
      warthog_bonus: 1,
    });
    expect(ok.body.ticket_id).toMatch(/^ticket_[0-9a-f]{32}$/);
    expect((await post(JSON.stringify(good))).body.code).toBe('NONCE_REPLAY');
    const noHw = JSON.parse(JSON.stringify(x86));
    delete noHw.device.serial;
    noHw.signals.macs = ['zz'];
    const n2 = await challenge(m.address);
    expect((await post(signedAttestation(m, n2, noHw))).body.code).toBe('MISSING_HARDWARE_IDENTITY');
  });

  it('limits distinct miners per IP (row 17)', async () => {
    const ip = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < 16; i++) {
      const m = actor(0x90 + i);
      const tpl = JSON.parse(JSON.stringify(x86));
      tpl.device.serial = `SER-${i}`;
      statuses.push((await attest(m, tpl, ip)).status);
    }
    expect(statuses.slice(0, 15).every((s) => s === 200)).toBe(true);
    expect(statuses[15]).toBe(429);
  });

  it('reports enrollment and refuses bad enrollments', async () => {
    const m = actor(0xa1);
    const tpl = JSON.parse(JSON.stringify(x86));
    tpl.device.serial = 'ENROLL-1';
    const a = await attest(m, tpl);
    expect(a.status).toBe(200);
    const epoch = (await getJson(`${url}/epoch`)).body.epoch as number;
    const enroll = (body: object) => postText(`${url}/epoch/enroll`, JSON.stringify(body));
    const signed = (who: Actor, e: number, minerId?: string) => ({
      miner_pubkey: who.address,
      ...(minerId ? { miner_id: minerId } : {}),
      public_key: who.publicKey,
      signature: bytesToHex(sign(enrollmentMessage(who.address, minerId ?? who.address, e), who.seed)),
    });
    expect((await postText(`${url}/epoch/enroll`, '[]')).body).toEqual({ error: 'Invalid JSON body' });
    expect((await enroll({})).body).toEqual({ error: 'Missing miner_pubkey' });
    expect((await enroll({ miner_pubkey: m.address })).body.code).toBe('SIGNED_ENROLLMENT_REQUIRED');
    expect((await enroll({ miner_pubkey: m.address, signature: 'aa' })).body.code).toBe('INCOMPLETE_SIGNATURE');
    expect((await enroll({ miner_pubkey: m.address, signature: 1, public_key: 'aa' })).body.code).toBe(
      'INVALID_SIGNATURE_TYPE',
    );
    expect((await enroll({ ...signed(m, epoch), public_key: actor(0xa2).publicKey })).body.code).toBe(
      'PUBKEY_MISMATCH',
    );
    expect((await enroll({ ...signed(m, epoch), signature: '11'.repeat(64) })).body.code).toBe(
      'INVALID_ENROLLMENT_SIGNATURE',
    );
    const legacy = { miner_pubkey: 'legacy-miner-x', public_key: m.publicKey, signature: '11'.repeat(64) };
    expect((await enroll(legacy)).status).toBe(412);
    expect((await enroll(legacy)).body.code).toBe('ENROLLMENT_SIGNING_KEY_REQUIRED');
    const never = actor(0xa3);
    expect((await enroll(signed(never, epoch))).body).toEqual({ error: 'no_recent_attestation', ttl_s: 600 });
    const r = await enroll(signed(m, a.body.epoch as number));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      ok: true,
      epoch: a.body.epoch,
      measurement_nonce: null,
      miner_pk: m.address,
      fingerprint_failed: false,
    });
    expect(r.body.active_fingerprint_total).toBe(6);
  });

  it('lists active miners with the A.8.2 item shape and limits', async () => {
    const r = await getJson(`${url}/api/miners?limit=5`);
    expect(r.status).toBe(200);
    expect(r.headers.get('x-total-count')).toBe(String(r.body.pagination.total));
    expect(r.body.miners[0]).toMatchObject({
      device_family: 'x86',
      device_arch: 'modern',
      hardware_type: 'x86-64 (Modern)',
      antiquity_multiplier: 0.8,
    });
    expect((await getJson(`${url}/api/miners?limit=0`)).body.error).toBe('limit must be >= 1');
    expect((await getJson(`${url}/api/miners?limit=1001`)).body.error).toBe('limit must be <= 1000');
    expect((await getJson(`${url}/api/miners?offset=-1`)).body.error).toBe('offset must be >= 0');
    const m = r.body.miners[0].miner as string;
    expect((await getJson(`${url}/api/v2/miner/${m}`)).body).toMatchObject({ ok: true, miner: m });
  });

  it('refuses hardware bound to another miner once committed (409 DUPLICATE_HARDWARE)', async () => {
    const owner = actor(0xb1);
    const tpl = JSON.parse(JSON.stringify(x86));
    tpl.device.serial = 'BOUND-1';
    const first = await attest(owner, tpl);
    expect(first.status).toBe(200);
    await node.waitEvent((e) => e.event === 'epoch_committed' && (e.epoch as number) >= (first.body.epoch as number));
    const copy = await attest(actor(0xb2), tpl);
    expect(copy.status).toBe(409);
    expect(copy.body).toMatchObject({ ok: false, error: 'hardware_already_bound', code: 'DUPLICATE_HARDWARE' });
  }, 30_000);
});

describe('legacy names, pipe signatures and the /api/miners limit', () => {
  /** An attestation for a legacy (non-RTC) miner name, signed by `key` under `scheme`. */
  async function legacyAttestation(name: string, key: Actor, serial: string, scheme: 'canonical' | 'pipe') {
    const nonce = await challenge(name);
    const tpl = JSON.parse(JSON.stringify(x86));
    tpl.device.serial = serial;
    const body: JsonObject = {
      miner: name,
      miner_id: name,
      nonce,
      report: { nonce, commitment: 'c0ffee', derived: {}, entropy_score: 0.5 },
      device: tpl.device,
      signals: tpl.signals,
      fingerprint: tpl.fingerprint,
    };
    const message = scheme === 'pipe' ? pipeSigningMessage(body) : attestationSigningMessage(body);
    const signed: JsonObject = { ...body, signature: bytesToHex(sign(message, key.seed)), public_key: key.publicKey };
    if (scheme === 'canonical') signed.signature_type = 'canonical_json';
    return postText(`${url}/attest/submit`, canonicalJson(signed), freshIp());
  }

  it('accepts a pipe-signed attestation but never makes it an enrollment candidate (B.3)', async () => {
    const r = await legacyAttestation('legacy-pipe-1', actor(0xc1), 'PIPE-1', 'pipe');
    expect(r.status).toBe(200);
    expect(r.body.enrollment_candidate).toBe(false);
    expect(r.body.reasons).toContain('pipe_signature_not_enrollable');
  });

  it('pins a legacy name to its first enrolled key (16b SIGNING_KEY_MISMATCH)', async () => {
    const first = await legacyAttestation('legacy-pinned', actor(0xc2), 'PIN-1', 'canonical');
    expect(first.status).toBe(200);
    expect(first.body.enrollment_candidate).toBe(true);
    await node.waitEvent((e) => e.event === 'epoch_committed' && (e.epoch as number) >= (first.body.epoch as number));
    const other = await legacyAttestation('legacy-pinned', actor(0xc3), 'PIN-2', 'canonical');
    expect(other.status).toBe(400);
    expect(other.body).toMatchObject({ ok: false, code: 'SIGNING_KEY_MISMATCH' });
    const same = await legacyAttestation('legacy-pinned', actor(0xc2), 'PIN-1', 'canonical');
    expect(same.status).toBe(200);
  }, 30_000);

  it('rate-limits /api/miners at 100 per 60 s per client (429 with Retry-After)', async () => {
    const ip = freshIp();
    for (let i = 0; i < 100; i++) {
      const r = await fetch(`${url}/api/miners?limit=1`, { headers: ip });
      expect(r.status).toBe(200);
      await r.arrayBuffer();
    }
    const limited = await fetch(`${url}/api/miners?limit=1`, { headers: ip });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(await limited.json()).toEqual({ ok: false, error: 'rate_limited', limit: '100/60s' });
  });
});

describe('before the chain starts', () => {
  it('answers 503 CHAIN_NOT_STARTED to challenges and transfers', async () => {
    const dir = tempDir();
    const now = Math.floor(Date.now() / 1000);
    const g = createGenesis({ dir, chainId: 'rustchain-devnet-later', genesisTime: now + 3600, firstEpoch: 0 });
    const later = await startNode(`${dir}/data`, ['--genesis', g.genesis, '--validator-key', g.validatorKey]);
    try {
      const c = await postText(`${later.url}/attest/challenge`, '');
      expect(c).toMatchObject({
        status: 503,
        body: { ok: false, error: 'chain_not_started', code: 'CHAIN_NOT_STARTED' },
      });
      const t = transferBody(sender, actor(0x22).address, 1n, 1n, 'rustchain-devnet-later');
      expect((await postText(`${later.url}/wallet/transfer/signed`, t.text)).status).toBe(503);
      expect((await getJson(`${later.url}/epoch`)).body.epoch).toBeLessThan(0);
    } finally {
      expect(await later.stop()).toBe(0);
    }
  }, 30_000);
});
