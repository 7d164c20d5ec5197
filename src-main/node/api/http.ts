/**
 * HTTP conventions of A.8.1 shared by every route: canonical JSON + "\n" bodies, the security headers and
 * X-Request-Id, the client-IP rule, integer query parameters and the account-id parameters.
 */
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { canonicalJson, type JsonObject } from '../../protocol/canonical-json.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** 32 random hex digits per response: drawn from the CSPRNG 256 ids at a time (one call each was ~6 % of a GET). */
const ID_BYTES = 16;
const ID_BATCH = 256;
let idPool = Buffer.alloc(0);
let idOffset = 0;

function randomRequestId(): string {
  if (idOffset >= idPool.length) {
    idPool = randomBytes(ID_BYTES * ID_BATCH);
    idOffset = 0;
  }
  const id = idPool.toString('hex', idOffset, idOffset + ID_BYTES);
  idOffset += ID_BYTES;
  return id;
}

export function requestId(req: FastifyRequest): string {
  const given = req.headers['x-request-id'];
  if (typeof given === 'string' && REQUEST_ID.test(given)) return given;
  return randomRequestId();
}

export function setCommonHeaders(req: FastifyRequest, reply: FastifyReply): void {
  reply.header('X-Request-Id', requestId(req));
  reply.header('X-Content-Type-Options', 'nosniff');
  reply.header('X-Frame-Options', 'DENY');
  reply.header('Referrer-Policy', 'no-referrer');
  reply.header('Cache-Control', 'no-store');
}

export function sendJson(req: FastifyRequest, reply: FastifyReply, status: number, body: JsonObject): FastifyReply {
  setCommonHeaders(req, reply);
  return reply
    .code(status)
    .header('Content-Type', 'application/json')
    .send(Buffer.from(canonicalJson(body) + '\n', 'latin1'));
}

function isLoopback(addr: string | undefined): boolean {
  if (!addr) return false;
  return addr === '::1' || addr.startsWith('127.') || addr.startsWith('::ffff:127.');
}

/** The TCP peer, or X-Real-IP when the peer is loopback and the header is an IP literal. */
export function clientIp(req: FastifyRequest): string {
  const peer = req.socket.remoteAddress ?? '';
  if (isLoopback(peer)) {
    const real = req.headers['x-real-ip'];
    if (typeof real === 'string' && isIP(real.trim()) !== 0) return real.trim();
  }
  return peer;
}

export type Query = Record<string, string | string[] | undefined>;

export function queryString(q: Query, name: string): string | undefined {
  const v = q[name];
  return Array.isArray(v) ? v[0] : v;
}

export class BadRequest extends Error {
  constructor(
    readonly body: JsonObject,
    readonly status = 400,
  ) {
    super(typeof body.error === 'string' ? body.error : 'bad request');
  }
}

const INT = /^[+-]?[0-9]+$/;

/** Decimal integer with optional sign, else 400 "<name> must be an integer"; absent → undefined. */
export function intParam(q: Query, name: string): number | undefined {
  const raw = queryString(q, name);
  if (raw === undefined || raw === '') return undefined;
  const t = raw.trim();
  if (!INT.test(t)) throw new BadRequest({ ok: false, error: `${name} must be an integer` });
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : n > 0 ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER;
}

export function clamp(v: number | undefined, min: number, max: number, dflt: number): number {
  if (v === undefined) return dflt;
  return Math.min(max, Math.max(min, v));
}

export const WALLET_QUERY_ID = /^[A-Za-z0-9._:-]{1,80}$/;

/** `miner_id` / `address` of the wallet read endpoints (A.8.2 /wallet/balance rules). */
export function accountParam(q: Query, trim = false): string {
  const read = (name: string) => {
    const v = queryString(q, name);
    return v === undefined ? '' : trim ? v.trim() : v;
  };
  const minerId = read('miner_id');
  const address = read('address');
  for (const v of [minerId, address]) {
    if (v !== '' && !WALLET_QUERY_ID.test(v)) throw new BadRequest({ ok: false, error: 'invalid miner_id' });
  }
  if (minerId !== '' && address !== '' && minerId !== address) {
    throw new BadRequest({ ok: false, error: 'miner_id and address must match when both are provided' });
  }
  const id = minerId || address;
  if (id === '') throw new BadRequest({ ok: false, error: 'miner_id or address required' });
  return id;
}
