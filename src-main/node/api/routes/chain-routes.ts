/** Health, readiness, chain time and network status: /health, /ready, /epoch, /network/info, /api/stats, /metrics. */
import { PyFloat } from '../../../protocol/canonical-json.js';
import { rtcFloat } from '../../../protocol/amounts.js';
import { API_VERSION, type ApiContext, type RouteTable } from '../context.js';
import { setCommonHeaders } from '../http.js';

export function networkName(chainId: string): string {
  if (chainId.includes('testnet')) return 'testnet';
  if (chainId.includes('devnet')) return 'devnet';
  return 'mainnet';
}

export function registerChainRoutes(r: RouteTable, ctx: ApiContext): void {
  const { chain } = ctx;
  const s = chain.schedule;

  r.get('/health', () => {
    const now = chain.now();
    const tip = chain.tip;
    const ok = ctx.dbWritable();
    const offset = ctx.peerClockOffset?.() ?? null;
    return {
      status: ok ? 200 : 503,
      body: {
        ok,
        version: API_VERSION,
        implementation: ctx.implementation,
        uptime_s: Math.max(0, Math.floor(now - ctx.startedAt)),
        db_rw: ok,
        backup_age_hours: null,
        tip_age_slots: tip === null ? null : s.slotAt(now) - (s.epochEnd(tip.epoch) - s.genesisTime) / s.slotSeconds,
        peer_clock_offset_s: offset === null ? null : Math.round(offset),
        clock_skew: offset !== null && Math.abs(Math.round(offset)) > 10,
      },
    };
  });

  r.get('/ready', () => {
    const ready = ctx.isReady();
    return { status: ready ? 200 : 503, body: { ready, version: API_VERSION } };
  });

  r.get('/epoch', () => {
    const now = chain.now();
    const epoch = s.epochAt(now);
    return {
      status: 200,
      body: {
        epoch,
        slot: s.slotAt(now),
        epoch_pot: new PyFloat(chain.genesis.epoch_pot_i64 / 1e6),
        enrolled_miners: chain.attestationPool.candidateCount(epoch),
        blocks_per_epoch: chain.genesis.epoch_slots,
        total_supply_rtc: 8388608,
        chain_id: chain.genesis.chain_id,
        committed_epoch: chain.tip?.epoch ?? null,
        epoch_start: s.epochStart(epoch),
        epoch_end: s.epochEnd(epoch),
        proposal_due: s.proposalDue(epoch),
      },
    };
  });

  r.get('/network/info', () => ({
    status: 200,
    body: {
      chain_id: chain.genesis.chain_id,
      network: networkName(chain.genesis.chain_id),
      block_height: chain.tip?.epoch ?? 0,
      peer_count: ctx.peers?.().length ?? 0,
      min_fee: 0,
      version: API_VERSION,
      genesis_hash: chain.genesisHash,
      node_id: ctx.nodeId,
    },
  }));

  let positiveTotal: { tip: number | null; value: bigint } | null = null;
  r.get('/api/stats', () => {
    const tip = chain.tip?.epoch ?? null;
    if (positiveTotal === null || positiveTotal.tip !== tip) {
      let sum = 0n;
      for (const b of chain.state.balances.values()) if (b > 0n) sum += b;
      positiveTotal = { tip, value: sum };
    }
    return {
      status: 200,
      body: {
        version: API_VERSION,
        chain_id: chain.genesis.chain_id,
        epoch: s.epochAt(chain.now()),
        block_time: s.slotSeconds,
        total_miners: chain.stores.attestations.enrolledMinerCount(),
        total_balance: rtcFloat(positiveTotal.value),
        pending_withdrawals: 0,
        features: [],
        security: ['replay_protection', 'validated_json', 'signed_attestations'],
        committed_epoch: tip,
        total_supply_i64: chain.state.totalSupplyI64,
      },
    };
  });

  r.get('/metrics', async (req, reply) => {
    const text = await ctx.metrics.registry.metrics();
    setCommonHeaders(req, reply);
    return reply.code(200).header('Content-Type', 'text/plain; version=0.0.4').send(Buffer.from(text, 'utf8'));
  });
}
