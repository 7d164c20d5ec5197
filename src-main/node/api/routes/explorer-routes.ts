/**
 * Explorer reads of A.8.2: /api/miners, /rewards/epoch/<n>, /api/transactions, /api/epochs,
 * /api/epoch/<n>, /api/peers, /anchor/list.
 */
import { PyFloat, parseJson, type JsonObject } from '../../../protocol/canonical-json.js';
import { rtcFloat } from '../../../protocol/amounts.js';
import { hardwareTypeLabel, tableWeightUnits, unitsToWeight } from '../../../protocol/fingerprint/weights.js';
import type { Chain } from '../../chain/chain.js';
import type { ApiContext, RouteTable } from '../context.js';
import { clamp, clientIp, intParam, type Query } from '../http.js';

const NOT_FOUND = { status: 404, body: { ok: false, error: 'not_found' } };
const EPOCH_PARAM = /^[0-9]{1,15}$/;

const anchorStatements = new WeakMap<object, { get(epoch: number): unknown }>();

/** The epoch's Ergo anchor (B.9) as `{status, tx_id}`, or null where none was queued. */
export function anchorOf(chain: Chain, epoch: number): JsonObject | null {
  let stmt = anchorStatements.get(chain);
  if (!stmt) {
    stmt = chain.stores.db.prepare('SELECT status, tx_id FROM anchors WHERE epoch = ?');
    anchorStatements.set(chain, stmt);
  }
  return (stmt.get(epoch) as JsonObject | undefined) ?? null;
}

export function epochSummary(
  chain: Chain,
  row: {
    epoch: number;
    epoch_hash: string;
    header: string;
    committed_at: number;
    attestation_count: number;
    transfer_count: number;
    minted_i64: number;
  },
): JsonObject {
  return {
    epoch: row.epoch,
    epoch_hash: row.epoch_hash,
    header: parseJson(row.header),
    committed_at: row.committed_at,
    attestation_count: row.attestation_count,
    transfer_count: row.transfer_count,
    minted_i64: row.minted_i64,
    anchor: anchorOf(chain, row.epoch),
  };
}

export function epochDetail(chain: Chain, epoch: number): JsonObject | null {
  const row = chain.stores.epochs.get(epoch);
  if (!row) return null;
  return {
    ok: true,
    epoch: row.epoch,
    epoch_hash: row.epoch_hash,
    header: parseJson(row.header),
    results: parseJson(row.results),
    certificate: parseJson(row.certificate),
    body_size: row.body.length,
    anchor: anchorOf(chain, row.epoch),
  };
}

export function registerExplorerRoutes(r: RouteTable, ctx: ApiContext): void {
  const { chain } = ctx;

  r.get('/api/miners', (req) => {
    const now = chain.now();
    const headers: Record<string, string> = {};
    if (ctx.limits) {
      const w = ctx.limits.miners.hit(clientIp(req), now);
      headers['X-RateLimit-Limit'] = String(w.limit);
      headers['X-RateLimit-Remaining'] = String(w.remaining);
      headers['X-RateLimit-Reset'] = String(w.resetAt);
      if (!w.allowed) {
        headers['Retry-After'] = String(Math.max(1, Math.ceil(w.resetAt - now)));
        return { status: 429, headers, body: { ok: false, error: 'rate_limited', limit: `${w.limit}/60s` } };
      }
    }
    const q = req.query as Query;
    const limit = intParam(q, 'limit') ?? 100;
    const offset = intParam(q, 'offset') ?? 0;
    if (limit < 1) return { status: 400, headers, body: { ok: false, error: 'limit must be >= 1' } };
    if (limit > 1000) return { status: 400, headers, body: { ok: false, error: 'limit must be <= 1000' } };
    if (offset < 0) return { status: 400, headers, body: { ok: false, error: 'offset must be >= 0' } };
    const since = now - 3600;
    const total = chain.stores.attestations.activeMinerCount(since);
    const rows = chain.stores.attestations.activeMiners(since, limit, offset);
    const miners = rows.map((m) => ({
      miner: m.miner,
      last_attest: m.last_attest,
      first_attest: m.first_attest,
      device_family: m.device_family,
      device_arch: m.device_arch,
      hardware_type: hardwareTypeLabel(m.device_family, m.device_arch),
      entropy_score: new PyFloat(m.entropy_score),
      antiquity_multiplier: new PyFloat(unitsToWeight(tableWeightUnits(m.device_family, m.device_arch))),
      fingerprint_passed: m.fingerprint_passed === 1,
      weight: new PyFloat(unitsToWeight(BigInt(m.weight_units))),
    }));
    headers['X-Total-Count'] = String(total);
    headers['X-Page-Limit'] = String(limit);
    headers['X-Page-Offset'] = String(offset);
    return {
      status: 200,
      headers,
      body: {
        miners,
        pagination: {
          total,
          total_enrolled: chain.attestationPool.candidateCount(chain.schedule.epochAt(now)),
          limit,
          offset,
          count: miners.length,
        },
      },
    };
  });

  r.get('/rewards/epoch/:n', (req) => {
    const n = (req.params as { n: string }).n;
    if (!EPOCH_PARAM.test(n)) return NOT_FOUND;
    const q = req.query as Query;
    const limit = clamp(intParam(q, 'limit'), 1, 1000, 200);
    const offset = clamp(intParam(q, 'offset'), 0, Number.MAX_SAFE_INTEGER, 0);
    const rewards = chain.stores.epochs.rewardsOf(Number(n), limit, offset).map((x) => ({
      miner_id: x.miner,
      share_i64: x.share_i64,
      share_rtc: rtcFloat(BigInt(x.share_i64)),
    }));
    return { status: 200, body: { epoch: Number(n), limit, offset, rewards } };
  });

  r.get('/api/transactions', (req) => {
    const q = req.query as Query;
    const limit = clamp(intParam(q, 'limit'), 1, 200, 50);
    const offset = clamp(intParam(q, 'offset'), 0, 10000, 0);
    const want = limit + offset;
    type Item = JsonObject & { _ts: number; _k: number };
    const items: Item[] = [];
    for (const t of chain.stores.transfers.uncommitted(want)) {
      items.push({
        _ts: t.received_at,
        _k: t.pending_id,
        source: 'pending_ledger',
        tx_hash: t.tx_hash,
        from: t.from_addr,
        to: t.to_addr,
        amount_i64: t.amount_i64,
        amount_rtc: rtcFloat(BigInt(t.amount_i64)),
        timestamp: t.received_at,
        status: t.status === 'pending' ? 'pending' : 'voided',
        epoch: null,
      });
    }
    for (const l of chain.stores.epochs.latestLedger(want)) {
      const abs = BigInt(Math.abs(l.delta_i64));
      items.push({
        _ts: l.ts,
        _k: l.seq,
        source: 'ledger',
        tx_hash: l.tx_hash,
        miner_id: l.account,
        counterparty: l.counterparty,
        amount_i64: abs,
        amount_rtc: rtcFloat(abs),
        direction: l.delta_i64 < 0 ? 'sent' : 'received',
        timestamp: l.ts,
        status: 'confirmed',
        epoch: l.epoch,
      });
    }
    items.sort((a, b) => b._ts - a._ts || b._k - a._k);
    const page = items.slice(offset, offset + limit).map(({ _ts, _k, ...rest }) => rest as JsonObject);
    const total = chain.stores.epochs.ledgerRowCount() + chain.stores.transfers.uncommittedCount();
    return { status: 200, body: { ok: true, transactions: page, count: page.length, total } };
  });

  r.get('/api/epochs', (req) => {
    const q = req.query as Query;
    const limit = clamp(intParam(q, 'limit'), 1, 100, 20);
    const offset = clamp(intParam(q, 'offset'), 0, Number.MAX_SAFE_INTEGER, 0);
    const tip = chain.tip;
    if (tip === null) return { status: 200, body: { ok: true, epochs: [], total: 0 } };
    const total = tip.epoch - chain.genesis.first_epoch + 1;
    // Epochs are contiguous from first_epoch, so the offset becomes a key: no OFFSET scan.
    const rows = chain.stores.epochs.list(limit, tip.epoch - offset + 1);
    return { status: 200, body: { ok: true, epochs: rows.map((row) => epochSummary(chain, row)), total } };
  });

  r.get('/api/epoch/:n', (req) => {
    const n = (req.params as { n: string }).n;
    if (!EPOCH_PARAM.test(n)) return NOT_FOUND;
    const detail = epochDetail(chain, Number(n));
    if (!detail) return { status: 404, body: { ok: false, error: 'epoch_not_found' } };
    return { status: 200, body: detail };
  });

  r.get('/api/peers', () => ({
    status: 200,
    body: { ok: true, node_id: ctx.nodeId, peers: [...(ctx.peers?.() ?? [])] },
  }));

  r.get('/anchor/list', (req) => {
    const q = req.query as Query;
    const limit = clamp(intParam(q, 'limit'), 1, 100, 50);
    const offset = clamp(intParam(q, 'offset'), 0, Number.MAX_SAFE_INTEGER, 0);
    const db = chain.stores.db;
    const anchors = db
      .prepare(
        'SELECT epoch, epoch_hash, tx_id, status, attempts, last_error, updated_at FROM anchors ORDER BY epoch DESC LIMIT ? OFFSET ?',
      )
      .all(limit, offset) as JsonObject[];
    const total = db.prepare('SELECT COUNT(*) FROM anchors').pluck().get() as number;
    return { status: 200, body: { ok: true, anchors, total } };
  });
}
