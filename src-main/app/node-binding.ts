/** Binds the app's NodePort to the shared NodeClient (src-main/client/node-client.ts). */
import { NodeClient, NodeClientError } from '../client/node-client.js';
import type { JsonObject, JsonValue } from '../protocol/canonical-json.js';
import { AppError } from './errors.js';
import type { NodeHistoryItem, NodePort } from './ports.js';

function num(v: JsonValue | undefined): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && 'value' in v && typeof v.value === 'number') {
    return v.value;
  }
  return null;
}

function str(v: JsonValue | undefined): string | null {
  return typeof v === 'string' ? v : null;
}

/** `amount` fields are RTC floats (A.8.1); amounts stay far below 2^53 µRTC, so rounding is exact. */
function rtcToUrtc(v: JsonValue | undefined): bigint {
  const n = num(v);
  return n === null ? 0n : BigInt(Math.round(n * 1_000_000));
}

export function toHistoryItem(o: JsonObject): NodeHistoryItem {
  const type = str(o['type']) ?? 'ledger';
  return {
    type,
    amountI64: rtcToUrtc(o['amount']),
    epoch: num(o['epoch']),
    timestamp: num(o['timestamp']),
    txHash: str(o['tx_hash']),
    status: str(o['status']) ?? 'confirmed',
    counterparty: str(o['to']) ?? str(o['from']),
    reason: str(o['reason']),
  };
}

/** Node failures become the contract's codes; the node's own message is kept for the UI. */
export function nodeError(err: unknown): AppError {
  if (err instanceof NodeClientError) {
    if (err.noAnswer) return new AppError('node_unreachable', `the node did not answer (${err.message})`);
    return new AppError('node_rejected', err.message);
  }
  return err instanceof AppError ? err : new AppError('internal_error', 'unexpected node failure');
}

async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw nodeError(err);
  }
}

export function nodePortFor(url: string): NodePort & { client: NodeClient } {
  const client = new NodeClient(url, { timeoutMs: 5000 });
  return {
    url,
    client,
    ready: () => guard(async () => (await client.ready()).ready),
    epoch: () =>
      guard(async () => {
        const e = await client.epoch();
        const slotSpan = e.blocks_per_epoch;
        // The reference node lacks epoch_start/end; its constants are 600 s slots (A.1).
        const start = e.epoch_start ?? 1764706927 + e.epoch * slotSpan * 600;
        const end = e.epoch_end ?? start + slotSpan * 600;
        return {
          epoch: e.epoch,
          slot: e.slot,
          epochSlots: slotSpan,
          epochStart: start,
          epochEnd: end,
          committedEpoch: e.committed_epoch,
          chainId: e.chain_id,
        };
      }),
    networkInfo: () =>
      guard(async () => {
        const n = await client.networkInfo();
        return { chainId: n.chain_id, network: n.network, peerCount: n.peer_count };
      }),
    balance: (address) =>
      guard(async () => {
        const b = await client.balance(address);
        return { amountI64: b.amount_i64, pendingOutI64: b.pending_out_i64 ?? 0n };
      }),
    history: (address, limit) =>
      guard(async () => {
        const h = await client.history(address, { limit });
        return { total: h.total, items: h.transactions.map(toHistoryItem) };
      }),
    tx: (txHash) =>
      guard(async () => {
        const t = await client.tx(txHash);
        return { status: t.status, epoch: t.epoch, voidReason: t.void_reason };
      }),
  };
}
