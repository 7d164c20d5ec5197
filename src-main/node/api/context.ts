/** What every route module receives: the chain, the node identity, limits, metrics, and the route table. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Chain } from '../chain/chain.js';
import type { NodeMetrics } from './metrics.js';
import type { RateLimits } from './rate-limit.js';

export interface ApiContext {
  chain: Chain;
  nodeId: string;
  implementation: string;
  startedAt: number;
  limits: RateLimits | null;
  metrics: NodeMetrics;
  isReady: () => boolean;
  dbWritable: () => boolean;
  /** Connected gossip peers for /api/peers (stage 2); absent or empty without P2P. */
  peers?: () => readonly object[];
  /** Median peer clock offset in seconds for /health (B.8.3), null without peers. */
  peerClockOffset?: () => number | null;
}

export type Handler = (
  req: FastifyRequest,
  reply: FastifyReply,
) => { status: number; body: object; headers?: Record<string, string> } | FastifyReply | Promise<unknown>;

export interface RouteTable {
  get(path: string, handler: Handler): void;
  post(path: string, handler: Handler): void;
}

export const API_VERSION = '2.2.1-rip200';
