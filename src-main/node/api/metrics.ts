/**
 * `/metrics` (A.8.2): the required series plus request latency per route, in a private prom-client
 * registry (never the global one, so two nodes in one process do not mix).
 */
import { statSync } from 'node:fs';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Chain } from '../chain/chain.js';

export class NodeMetrics {
  readonly registry = new Registry();
  readonly httpRequests: Counter<'route' | 'code'>;
  readonly httpLatency: Histogram<'route'>;
  readonly attestations: Counter<'result'>;
  readonly transfers: Counter<'result'>;

  constructor(chain: Chain, dbPath: string | null, anchorBacklog: () => number = () => 0) {
    const r = this.registry;
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers: [r],
        collect() {
          this.set(read());
        },
      });
    gauge('rustchain_current_epoch', 'Current epoch by the wall clock', () => chain.schedule.epochAt(chain.now()));
    gauge('rustchain_current_slot', 'Current slot by the wall clock', () => chain.schedule.slotAt(chain.now()));
    gauge('rustchain_committed_epoch', 'Last committed epoch (-1 before the first)', () => chain.tip?.epoch ?? -1);
    gauge('rustchain_enrolled_miners', 'Enrollment candidates of the current epoch', () =>
      chain.attestationPool.candidateCount(chain.schedule.epochAt(chain.now())),
    );
    gauge('rustchain_attestation_pool_active_miners', 'Miners with a pooled candidate in the current epoch', () =>
      chain.attestationPool.candidateCount(chain.schedule.epochAt(chain.now())),
    );
    gauge('rustchain_pending_transfers', 'Transfers in the pool', () => chain.transferPool.size);
    gauge('rustchain_peers_connected', 'Connected peers (no P2P in this node)', () => 0);
    gauge('rustchain_total_supply_urtc', 'Total supply in µRTC', () => Number(chain.state.totalSupplyI64));
    gauge('rustchain_anchor_backlog', 'Committed epochs not yet anchored', anchorBacklog);
    gauge('rustchain_db_size_bytes', 'Size of node.db plus its WAL', () => {
      if (dbPath === null) return 0;
      let n = 0;
      for (const p of [dbPath, dbPath + '-wal']) {
        try {
          n += statSync(p).size;
        } catch {
          // absent WAL
        }
      }
      return n;
    });
    this.attestations = new Counter({
      name: 'rustchain_attestations_total',
      help: 'Attestation submissions by result',
      labelNames: ['result'],
      registers: [r],
    });
    this.transfers = new Counter({
      name: 'rustchain_transfers_total',
      help: 'Signed transfers by result',
      labelNames: ['result'],
      registers: [r],
    });
    new Counter({
      name: 'rustchain_gossip_messages_total',
      help: 'Gossip messages (no P2P in this node)',
      labelNames: ['type', 'direction'],
      registers: [r],
    });
    this.httpRequests = new Counter({
      name: 'rustchain_http_requests_total',
      help: 'HTTP requests by route and status code',
      labelNames: ['route', 'code'],
      registers: [r],
    });
    this.httpLatency = new Histogram({
      name: 'rustchain_http_request_duration_seconds',
      help: 'HTTP request latency by route',
      labelNames: ['route'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [r],
    });
    for (const result of ['accepted', 'rejected']) this.attestations.inc({ result }, 0);
    for (const result of ['accepted', 'rejected', 'confirmed', 'voided']) this.transfers.inc({ result }, 0);
    chain.on('epoch_committed', (_e: unknown, out: { execution: { transferResults: { status: string }[] } }) => {
      for (const t of out.execution.transferResults) this.transfers.inc({ result: t.status });
    });
  }
}
