/**
 * The explorer's reads, over the shared NodeClient: the node's keyset-paginated /api/v2/* endpoints plus
 * the A.8.2 routes (/api/epoch/<n>, /wallet/tx/<hash>, /api/miners, /api/stats, /anchor/list). Node JSON is
 * mapped to the contract's explorer views here, so the renderer never parses node bodies.
 */
import type { NodeClient } from '../client/node-client.js';
import { PyFloat, type JsonObject, type JsonValue } from '../protocol/canonical-json.js';
import type {
  EpochSummary,
  ExplorerAddress,
  ExplorerEpoch,
  ExplorerMiner,
  ExplorerNetwork,
  ExplorerTx,
} from './contract.js';
import { AppError } from './errors.js';

const CHART_EPOCHS = 20;

function obj(v: JsonValue | undefined): JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof PyFloat) ? (v as JsonObject) : {};
}
function arr(v: JsonValue | undefined): JsonValue[] {
  return Array.isArray(v) ? v : [];
}
function num(v: JsonValue | undefined): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof PyFloat) return v.value;
  return null;
}
function int(v: JsonValue | undefined): string {
  if (typeof v === 'bigint' || typeof v === 'number') return BigInt(Math.trunc(Number(v))).toString();
  if (typeof v === 'string' && /^-?[0-9]+$/.test(v)) return v;
  return '0';
}
function str(v: JsonValue | undefined): string | null {
  return typeof v === 'string' ? v : null;
}
function plainHeader(v: JsonValue | undefined): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, x] of Object.entries(obj(v))) out[k] = typeof x === 'string' ? x : (num(x) ?? String(x));
  return out;
}

function summary(e: JsonObject): EpochSummary {
  return {
    epoch: num(e['epoch']) ?? 0,
    epochHash: str(e['epoch_hash']) ?? '',
    committedAt: num(e['committed_at']),
    attestationCount: num(e['attestation_count']) ?? 0,
    transferCount: num(e['transfer_count']) ?? 0,
    mintedI64: int(e['minted_i64']),
  };
}

function minerView(m: JsonObject): ExplorerMiner {
  return {
    miner: str(m['miner']) ?? '',
    family: str(m['device_family']),
    arch: str(m['device_arch']),
    hardwareType: str(m['hardware_type']),
    fingerprintPassed: m['fingerprint_passed'] === true,
    multiplier: num(m['antiquity_multiplier']),
    weight: num(m['weight']) ?? (m['weight_units'] !== undefined ? Number(int(m['weight_units'])) / 1e9 : null),
    lastAttest: num(m['last_attest']),
  };
}

export class ExplorerReader {
  constructor(private readonly client: NodeClient) {}

  private get(path: string): Promise<JsonObject> {
    return this.client.getObject(path, {}, [404]);
  }

  async epochs(limit: number, before: number | null) {
    const q = new URLSearchParams({ limit: String(limit) });
    if (before !== null) q.set('before', String(before));
    const r = await this.get(`/api/v2/epochs?${q.toString()}`);
    return {
      epochs: arr(r['epochs']).map((e) => summary(obj(e))),
      nextBefore: num(r['next_before']),
      committedEpoch: num(r['committed_epoch']),
    };
  }

  async search(query: string) {
    const q = query.trim();
    if (q === '') return { kind: null, target: null };
    const r = await this.get(`/api/v2/search?q=${encodeURIComponent(q)}`);
    const kind = str(r['kind']);
    const result = obj(r['result']);
    if (kind === 'epoch') return { kind, target: String(num(result['epoch'])) } as const;
    if (kind === 'transaction') return { kind, target: str(result['tx_hash']) } as const;
    if (kind === 'miner') return { kind, target: str(result['miner']) } as const;
    if (kind === 'address') return { kind, target: str(result['address']) } as const;
    return { kind: null, target: null };
  }

  private async epochRaw(n: number): Promise<JsonObject | null> {
    const r = await this.get(`/api/epoch/${n}`);
    return r['ok'] === false ? null : r;
  }

  async epoch(n: number): Promise<ExplorerEpoch> {
    const [d, summaries, anchors] = await Promise.all([
      this.epochRaw(n),
      this.get(`/api/v2/epochs?limit=1&before=${n + 1}`),
      this.get('/anchor/list?limit=100').catch(() => ({}) as JsonObject),
    ]);
    if (!d) throw new AppError('not_found', `epoch ${n} is not committed`);
    const results = obj(d['results']);
    const s = obj(arr(summaries['epochs'])[0]);
    const anchor = arr(anchors['anchors'])
      .map(obj)
      .find((a) => num(a['epoch']) === n);
    return {
      epoch: n,
      epochHash: str(d['epoch_hash']) ?? '',
      committedAt: num(s['epoch']) === n ? num(s['committed_at']) : null,
      header: plainHeader(d['header']),
      anchor: anchor
        ? { status: str(anchor['status']) ?? 'unknown', txId: str(anchor['tx_id']), error: str(anchor['last_error']) }
        : null,
      rewards: arr(results['rewards']).map((x) => {
        const o = obj(x);
        return { miner: str(o['miner']) ?? str(o['miner_id']) ?? '', shareI64: int(o['share_i64']) };
      }),
      attestations: arr(results['attestations']).map((x) => {
        const o = obj(x);
        return {
          miner: str(o['miner']) ?? '',
          minerId: str(o['attestation_id']),
          family: str(o['device_family']),
          arch: str(o['device_arch']),
        };
      }),
      transfers: arr(results['transfers']).map((x) => {
        const o = obj(x);
        return {
          txHash: str(o['tx_id']),
          from: str(o['from']) ?? '',
          to: str(o['to']) ?? '',
          amountRtc: Number(int(o['amount_i64'])) / 1e6,
          memo: str(o['status']),
        };
      }),
      mintedI64: num(s['epoch']) === n ? int(s['minted_i64']) : '0',
    };
  }

  async tx(hash: string): Promise<ExplorerTx> {
    const h = hash.toLowerCase();
    const r = await this.get(`/wallet/tx/${h}`);
    if (str(r['status']) === 'not_found') throw new AppError('not_found', 'no transaction with this hash');
    const epoch = num(r['epoch']);
    const view: ExplorerTx = {
      txHash: h,
      status: str(r['status']) ?? 'unknown',
      epoch,
      voidReason: str(r['void_reason']),
      from: null,
      to: null,
      amountRtc: null,
      memo: null,
    };
    if (epoch !== null) {
      const d = await this.epochRaw(epoch);
      const t = arr(obj(d?.['results'])['transfers'])
        .map(obj)
        .find((x) => (str(x['tx_id']) ?? '').startsWith(h));
      if (t) {
        view.from = str(t['from']);
        view.to = str(t['to']);
        view.amountRtc = Number(int(t['amount_i64'])) / 1e6;
      }
    }
    return view;
  }

  async address(id: string, before: number | null): Promise<ExplorerAddress> {
    const q = new URLSearchParams({ limit: '50' });
    if (before !== null) q.set('before', String(before));
    const r = await this.get(`/api/v2/address/${encodeURIComponent(id)}?${q.toString()}`);
    return {
      address: id,
      amountI64: int(r['amount_i64']),
      ledger: arr(r['ledger']).map((x) => {
        const o = obj(x);
        return {
          seq: num(o['seq']) ?? 0,
          ts: num(o['ts']),
          epoch: num(o['epoch']),
          deltaI64: int(o['delta_i64']),
          reason: str(o['reason']),
          txHash: str(o['tx_hash']),
          counterparty: str(o['counterparty']),
        };
      }),
      pending: arr(r['pending']).map((x) => {
        const o = obj(x);
        return {
          txHash: str(o['tx_hash']) ?? '',
          from: str(o['from']) ?? '',
          to: str(o['to']) ?? '',
          amountI64: int(o['amount_i64']),
        };
      }),
      nextBefore: num(r['next_before']),
    };
  }

  async miner(id: string): Promise<ExplorerMiner> {
    const r = await this.get(`/api/v2/miner/${encodeURIComponent(id)}`);
    if (r['ok'] === false) throw new AppError('not_found', 'no miner with this id');
    return {
      ...minerView(r),
      balanceI64: int(r['balance_i64']),
      rewards: arr(r['rewards']).map((x) => {
        const o = obj(x);
        return {
          epoch: num(o['epoch']) ?? 0,
          shareI64: int(o['share_i64']),
          weight: Number(int(o['weight_units'])) / 1e9,
        };
      }),
    };
  }

  async miners(): Promise<{ total: number; miners: ExplorerMiner[] }> {
    const r = await this.get('/api/miners?limit=200');
    return { total: num(obj(r['pagination'])['total']) ?? 0, miners: arr(r['miners']).map((m) => minerView(obj(m))) };
  }

  async network(): Promise<ExplorerNetwork> {
    const [stats, miners, list] = await Promise.all([
      this.get('/api/stats'),
      this.get('/api/miners?limit=1'),
      this.get(`/api/v2/epochs?limit=${CHART_EPOCHS}`),
    ]);
    const epochs = arr(list['epochs']).map(obj);
    // Per-epoch miner counts and weights are in each epoch's results; the node has no aggregate endpoint.
    const details = await Promise.all(epochs.map((e) => this.epochRaw(num(e['epoch']) ?? 0).catch(() => null)));
    const perEpoch = epochs
      .map((e, i) => {
        const atts = arr(obj(details[i]?.['results'])['attestations']).map(obj);
        const enrolled = atts.filter((a) => a['enrolled'] !== false);
        const weight = enrolled.reduce((sum, a) => sum + Number(int(a['weight_units'])) / 1e9, 0);
        return {
          epoch: num(e['epoch']) ?? 0,
          miners: enrolled.length,
          totalWeight: weight,
          mintedI64: int(e['minted_i64']),
        };
      })
      .reverse();
    const committed = num(stats['committed_epoch']);
    const last = perEpoch[perEpoch.length - 1];
    return {
      currentEpoch: num(stats['epoch']),
      committedEpoch: committed,
      enrolledMiners: num(obj(miners['pagination'])['total_enrolled']) ?? 0,
      activeMiners: num(obj(miners['pagination'])['total']) ?? 0,
      attestationsThisEpoch: last && last.epoch === committed ? last.miners : null,
      supplyI64: stats['total_supply_i64'] !== undefined ? int(stats['total_supply_i64']) : null,
      perEpoch,
    };
  }
}
