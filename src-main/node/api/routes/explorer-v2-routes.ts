/**
 * Read endpoints for our own explorer UI under /api/v2/, all paginated by keyset (`before` cursors),
 * never by OFFSET: epochs list and detail, address, miner, search.
 */
import { parseJson, type JsonObject } from '../../../protocol/canonical-json.js';
import { rtcFloat } from '../../../protocol/amounts.js';
import { hardwareTypeLabel } from '../../../protocol/fingerprint/weights.js';
import type { ApiContext, RouteTable } from '../context.js';
import { BadRequest, clamp, intParam, queryString, WALLET_QUERY_ID, type Query } from '../http.js';
import { epochDetail, epochSummary } from './explorer-routes.js';
import { balanceBody } from './wallet-routes.js';

const EPOCH_PARAM = /^[0-9]{1,15}$/;

export function registerExplorerV2Routes(r: RouteTable, ctx: ApiContext): void {
  const { chain } = ctx;

  r.get('/api/v2/epochs', (req) => {
    const q = req.query as Query;
    const limit = clamp(intParam(q, 'limit'), 1, 100, 20);
    const before = intParam(q, 'before') ?? null;
    const rows = chain.stores.epochs.list(limit, before);
    const last = rows[rows.length - 1];
    return {
      status: 200,
      body: {
        ok: true,
        epochs: rows.map((row) => epochSummary(chain, row)),
        next_before: rows.length === limit && last ? last.epoch : null,
        committed_epoch: chain.tip?.epoch ?? null,
      },
    };
  });

  r.get('/api/v2/epochs/:n', (req) => {
    const n = (req.params as { n: string }).n;
    if (!EPOCH_PARAM.test(n)) return { status: 404, body: { ok: false, error: 'not_found' } };
    const detail = epochDetail(chain, Number(n));
    if (!detail) return { status: 404, body: { ok: false, error: 'epoch_not_found' } };
    const row = chain.stores.epochs.get(Number(n));
    return { status: 200, body: { ...detail, body: row ? parseJson(row.body) : null } };
  });

  r.get('/api/v2/address/:id', (req) => {
    const id = (req.params as { id: string }).id;
    if (!WALLET_QUERY_ID.test(id)) throw new BadRequest({ ok: false, error: 'invalid address' });
    const q = req.query as Query;
    const limit = clamp(intParam(q, 'limit'), 1, 200, 50);
    const before = intParam(q, 'before') ?? null;
    const rows = chain.stores.epochs.ledgerOf(id, limit, before);
    const last = rows[rows.length - 1];
    const pending = chain.stores.transfers.list({ account: id, statuses: ['pending'], limit: 64 * 2 });
    return {
      status: 200,
      body: {
        ok: true,
        ...balanceBody(chain, id),
        address: id,
        ledger: rows.map((l) => ({
          seq: l.seq,
          ts: l.ts,
          epoch: l.epoch,
          delta_i64: l.delta_i64,
          delta_rtc: rtcFloat(BigInt(l.delta_i64)),
          reason: l.reason,
          tx_hash: l.tx_hash,
          counterparty: l.counterparty,
        })),
        next_before: rows.length === limit && last ? last.seq : null,
        pending: pending.map((t) => ({
          tx_hash: t.tx_hash,
          from: t.from_addr,
          to: t.to_addr,
          amount_i64: t.amount_i64,
          timestamp: t.received_at,
        })),
      },
    };
  });

  r.get('/api/v2/miner/:id', (req) => {
    const id = (req.params as { id: string }).id;
    const q = req.query as Query;
    const limit = clamp(intParam(q, 'limit'), 1, 200, 50);
    const before = intParam(q, 'before') ?? null;
    const m = chain.stores.attestations.miner(id);
    if (!m) return { status: 404, body: { ok: false, error: 'miner_not_found' } };
    const rewards = chain.stores.epochs.rewardsOfMiner(id, limit, before);
    const last = rewards[rewards.length - 1];
    return {
      status: 200,
      body: {
        ok: true,
        miner: id,
        first_attest: m.first_attest,
        last_attest: m.last_attest,
        device_family: m.device_family,
        device_arch: m.device_arch,
        hardware_type: hardwareTypeLabel(m.device_family, m.device_arch),
        fingerprint_passed: m.fingerprint_passed === 1,
        weight_units: BigInt(m.weight_units),
        enrolled_epochs: m.enrolled_epochs,
        last_enrolled_epoch: m.last_enrolled_epoch,
        balance_i64: chain.state.balances.get(id) ?? 0n,
        rewards: rewards.map((x) => ({ epoch: x.epoch, share_i64: x.share_i64, weight_units: BigInt(x.weight_units) })),
        next_before: rewards.length === limit && last ? last.epoch : null,
      },
    };
  });

  r.get('/api/v2/search', (req) => {
    const raw = (queryString(req.query as Query, 'q') ?? '').trim();
    const result = (kind: string | null, value: JsonObject | null = null) => ({
      status: 200,
      body: { ok: true, query: raw, kind, result: value },
    });
    if (raw === '') return result(null);
    if (EPOCH_PARAM.test(raw) && chain.stores.epochs.summary(Number(raw))) {
      return result('epoch', { epoch: Number(raw) });
    }
    if (/^[0-9a-fA-F]{64}$/.test(raw)) {
      const epoch = chain.stores.epochs.byHash(raw.toLowerCase());
      if (epoch !== undefined) return result('epoch', { epoch });
    }
    if (/^[0-9a-fA-F]{32}(?:[0-9a-fA-F]{32})?$/.test(raw)) {
      const rows = chain.stores.transfers.byHash(raw.slice(0, 32).toLowerCase());
      if (rows[0]) return result('transaction', { tx_hash: rows[0].tx_hash });
    }
    if (WALLET_QUERY_ID.test(raw)) {
      if (chain.stores.attestations.miner(raw)) return result('miner', { miner: raw });
      if (chain.state.balances.has(raw) || chain.stores.epochs.ledgerCountOf(raw) > 0) {
        return result('address', { address: raw });
      }
    }
    return result(null);
  });
}
