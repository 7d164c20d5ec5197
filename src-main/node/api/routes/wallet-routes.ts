/**
 * Wallet and ledger endpoints (A.5, A.8.2): balances, signed transfers, history, transaction status,
 * the pending list and the reference CLI's /wallet/ledger.
 */
import type { JsonObject } from '../../../protocol/canonical-json.js';
import { rtcFloat } from '../../../protocol/amounts.js';
import { invalidJsonBodyError } from '../../../protocol/transfer.js';
import type { LedgerRowOut } from '../../db/epoch-store.js';
import type { TransferRow, TransferStatus } from '../../db/transfer-store.js';
import { submitTransfer } from '../../chain/transfer-service.js';
import type { Chain } from '../../chain/chain.js';
import { parseBody } from '../body.js';
import type { ApiContext, RouteTable } from '../context.js';
import { accountParam, BadRequest, clamp, intParam, queryString, WALLET_QUERY_ID, type Query } from '../http.js';

export function balanceBody(chain: Chain, id: string): JsonObject {
  const amount = chain.state.balances.get(id) ?? 0n;
  const pendingOut = chain.transferPool.pendingOut(id);
  return {
    miner_id: id,
    amount_i64: amount,
    amount_rtc: rtcFloat(amount),
    pending_out_i64: pendingOut,
    available_i64: amount - pendingOut,
  };
}

function ledgerItem(row: LedgerRowOut): JsonObject & { _ts: number; _seq: number } {
  const amount = rtcFloat(BigInt(Math.abs(row.delta_i64)));
  const base = { _ts: row.ts, _seq: row.seq, amount, epoch: row.epoch, timestamp: row.ts };
  if (row.reason.startsWith('transfer_out:')) {
    return { type: 'transfer_out', ...base, tx_hash: row.tx_hash, to: row.counterparty, reason: row.reason };
  }
  if (row.reason.startsWith('transfer_in:')) {
    return { type: 'transfer_in', ...base, tx_hash: row.tx_hash, from: row.counterparty, reason: row.reason };
  }
  if (/^epoch_\d+_reward$/.test(row.reason)) return { type: 'reward', ...base, tx_hash: null };
  return { type: 'ledger', ...base, tx_hash: null, reason: row.reason };
}

function uncommittedItem(account: string, t: TransferRow): JsonObject & { _ts: number; _seq: number } {
  const out = t.from_addr === account;
  const item: JsonObject & { _ts: number; _seq: number } = {
    _ts: t.received_at,
    _seq: Number.MAX_SAFE_INTEGER,
    type: out ? 'transfer_out' : 'transfer_in',
    amount: rtcFloat(BigInt(t.amount_i64)),
    epoch: null,
    timestamp: t.received_at,
    tx_hash: t.tx_hash,
    status: t.status === 'pending' ? 'pending' : 'voided',
  };
  if (out) item.to = t.to_addr;
  else item.from = t.from_addr;
  return item;
}

export function txStatusBody(chain: Chain, rows: TransferRow[], txHash: string): { status: number; body: JsonObject } {
  if (rows.length === 0) {
    return { status: 404, body: { ok: false, tx_hash: txHash, status: 'not_found', error: 'transaction_not_found' } };
  }
  if (rows.length > 1) return { status: 409, body: { ok: false, error: 'ambiguous_transaction' } };
  const t = rows[0] as TransferRow;
  const status = t.status === 'pending' ? 'pending' : t.status === 'confirmed' ? 'confirmed' : 'failed';
  void chain;
  return {
    status: 200,
    body: {
      ok: true,
      tx_hash: t.tx_hash,
      status,
      confirmations: t.status === 'confirmed' ? 1 : 0,
      block_height: t.status === 'pending' ? null : t.epoch,
      epoch: t.status === 'pending' ? null : t.epoch,
      void_reason: t.void_reason,
    },
  };
}

const STATUS_FILTERS: Record<string, TransferStatus[] | null> = {
  pending: ['pending'],
  confirmed: ['confirmed'],
  voided: ['voided', 'failed'],
  all: null,
};

function pathId(id: string): string {
  if (!WALLET_QUERY_ID.test(id)) throw new BadRequest({ ok: false, error: 'invalid miner_id' });
  return id;
}

export function registerWalletRoutes(r: RouteTable, ctx: ApiContext): void {
  const { chain } = ctx;

  r.get('/wallet/balance', (req) => ({ status: 200, body: balanceBody(chain, accountParam(req.query as Query)) }));
  r.get('/api/wallet/:id', (req) => ({
    status: 200,
    body: balanceBody(chain, pathId((req.params as { id: string }).id)),
  }));
  r.get('/balance/:id', (req) => {
    const id = pathId((req.params as { id: string }).id);
    const amount = chain.state.balances.get(id) ?? 0n;
    return { status: 200, body: { miner_pk: id, balance_rtc: rtcFloat(amount), amount_i64: amount } };
  });

  r.post('/wallet/transfer/signed', async (req) => {
    const parsed = parseBody(req);
    const reply =
      !parsed.ok || parsed.value === undefined
        ? { status: 400, body: invalidJsonBodyError() }
        : await submitTransfer(chain, parsed.value);
    ctx.metrics.transfers.inc({ result: reply.status === 200 ? 'accepted' : 'rejected' });
    return reply;
  });

  r.get('/wallet/history', (req) => {
    const q = req.query as Query;
    const id = accountParam(q, true);
    const limit = clamp(intParam(q, 'limit'), 1, 200, 50);
    const offset = clamp(intParam(q, 'offset'), 0, 9800, 0);
    const want = limit + offset;
    const items = [
      ...chain.stores.epochs.ledgerOf(id, want).map(ledgerItem),
      ...chain.stores.transfers
        .uncommittedOf(id)
        .slice(0, want)
        .map((t) => uncommittedItem(id, t)),
    ];
    items.sort((a, b) => b._ts - a._ts || b._seq - a._seq);
    const total = chain.stores.epochs.ledgerCountOf(id) + chain.stores.transfers.uncommittedOf(id).length;
    const page = items.slice(offset, offset + limit).map(({ _ts, _seq, ...rest }) => rest as JsonObject);
    return { status: 200, body: { ok: true, miner_id: id, total, transactions: page } };
  });

  r.get('/wallet/tx/:hash', (req) => {
    const hash = (req.params as { hash: string }).hash;
    if (!/^[0-9A-Fa-f]{32}$/.test(hash)) {
      return { status: 400, body: { ok: false, error: 'tx_hash must be exactly 32 hexadecimal characters' } };
    }
    const h = hash.toLowerCase();
    return txStatusBody(chain, chain.stores.transfers.byHash(h), h);
  });

  r.get('/pending/list', (req) => {
    const q = req.query as Query;
    const statusText = queryString(q, 'status') ?? 'pending';
    const statuses = STATUS_FILTERS[statusText];
    if (statuses === undefined) return { status: 400, body: { ok: false, error: 'invalid status' } };
    const limit = clamp(intParam(q, 'limit'), 1, 500, 100);
    const minerId = queryString(q, 'miner_id')?.trim() || null;
    const rows = chain.stores.transfers.list({ account: minerId, statuses, limit });
    const pending = rows.map((t) => ({
      id: t.pending_id,
      ts: t.received_at,
      from_miner: t.from_addr,
      to_miner: t.to_addr,
      amount_rtc: rtcFloat(BigInt(t.amount_i64)),
      reason: 'signed_transfer:' + [...t.memo].slice(0, 80).join(''),
      status: t.status === 'failed' ? 'voided' : t.status,
      confirms_at: chain.schedule.proposalDue(t.receipt_epoch),
      voided_by: t.status === 'voided' || t.status === 'failed' ? 'system' : null,
      voided_reason: t.void_reason,
      tx_hash: t.tx_hash,
    }));
    return {
      status: 200,
      body: {
        ok: true,
        count: pending.length,
        pending,
        stale_pending_count: 0,
        max_confirm_overdue_seconds: 0,
        overdue_stats_measured: true,
        overdue_stats_error: null,
      },
    };
  });

  r.get('/wallet/ledger', (req) => {
    const id = accountParam(req.query as Query);
    const items = chain.stores.epochs.ledgerOf(id, 200).map((row) => ({
      ts: row.ts,
      epoch: row.epoch,
      miner_id: row.account,
      delta_i64: row.delta_i64,
      delta_rtc: rtcFloat(BigInt(row.delta_i64)),
      reason: row.reason,
    }));
    return { status: 200, body: { items } };
  });
}
