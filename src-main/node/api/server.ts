/**
 * The node's HTTP API (A.8) on fastify: raw-body parsing for every content type (bodies are parsed from
 * bytes by the number-preserving parser), the 1 MiB limit with the spec's 413 body, JSON 404/405/500,
 * the A.8.1 headers on every answer, and request metrics.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { JsonObject } from '../../protocol/canonical-json.js';
import type { ApiContext, Handler, RouteTable } from './context.js';
import { BadRequest, sendJson } from './http.js';
import { registerChainRoutes } from './routes/chain-routes.js';
import { registerAttestationRoutes } from './routes/attestation-routes.js';
import { registerWalletRoutes } from './routes/wallet-routes.js';
import { registerExplorerRoutes } from './routes/explorer-routes.js';
import { registerExplorerV2Routes } from './routes/explorer-v2-routes.js';
import { registerStubRoutes } from './routes/stub-routes.js';

export const BODY_LIMIT = 1024 * 1024;

const TOO_LARGE: JsonObject = { ok: false, code: 'REQUEST_TOO_LARGE', error: 'request body exceeds the 1 MB limit' };
const INTERNAL: JsonObject = { ok: false, error: 'internal_error', code: 'INTERNAL_ERROR' };
const ALL_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;

function wrap(handler: Handler) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    try {
      const out = await handler(req, reply);
      if (out && typeof out === 'object' && 'status' in out && 'body' in out) {
        const r = out as { status: number; body: JsonObject; headers?: Record<string, string> };
        if (r.headers) for (const [k, v] of Object.entries(r.headers)) reply.header(k, v);
        return sendJson(req, reply, r.status, r.body);
      }
      return out;
    } catch (err) {
      if (err instanceof BadRequest) return sendJson(req, reply, err.status, err.body);
      throw err;
    }
  };
}

export async function buildApi(ctx: ApiContext): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT,
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 200 },
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  const methodsByPath = new Map<string, Set<string>>();
  const add = (method: 'GET' | 'POST', path: string, handler: Handler) => {
    app.route({ method, url: path, handler: wrap(handler) });
    let set = methodsByPath.get(path);
    if (!set) methodsByPath.set(path, (set = new Set()));
    set.add(method);
    if (method === 'GET') set.add('HEAD');
  };
  const routes: RouteTable = {
    get: (path, h) => add('GET', path, h),
    post: (path, h) => add('POST', path, h),
  };
  registerChainRoutes(routes, ctx);
  registerAttestationRoutes(routes, ctx);
  registerWalletRoutes(routes, ctx);
  registerExplorerRoutes(routes, ctx);
  registerExplorerV2Routes(routes, ctx);
  registerStubRoutes(routes, ctx);
  for (const [path, methods] of methodsByPath) {
    const others = ALL_METHODS.filter((m) => !methods.has(m));
    if (others.length > 0) {
      app.route({
        method: others,
        url: path,
        handler: (req, reply) => sendJson(req, reply, 405, { ok: false, error: 'method_not_allowed' }),
      });
    }
  }

  app.setNotFoundHandler((req, reply) => sendJson(req, reply, 404, { ok: false, error: 'not_found' }));
  app.setErrorHandler((err: { statusCode?: number; code?: string }, req, reply) => {
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err.statusCode === 413)
      return sendJson(req, reply, 413, TOO_LARGE);
    if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      return sendJson(req, reply, err.statusCode, { ok: false, error: 'bad_request' });
    }
    return sendJson(req, reply, 500, INTERNAL);
  });
  app.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched';
    ctx.metrics.httpRequests.inc({ route, code: String(reply.statusCode) });
    ctx.metrics.httpLatency.observe({ route }, reply.elapsedTime / 1000);
    done();
  });
  return app;
}
