/**
 * The node client against a real HTTP server on 127.0.0.1 that answers with fixed node-shaped bodies
 * (the node itself is another component; these tests pin the client's transport and decoding rules).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeClient, NodeClientError, clearNodeCaches } from '../../src-main/client/node-client.js';
import { PyFloat, parseJson } from '../../src-main/protocol/canonical-json.js';

interface Seen {
  method: string;
  url: string;
  body: string;
}

let server: Server;
let base: string;
const seen: Seen[] = [];
let networkInfoCalls = 0;
let pendingCalls = 0;
let implementation = 'rustchain-desktop/0.1.0';

function send(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(text);
}

function handler(req: IncomingMessage, res: ServerResponse) {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString('utf8')));
  req.on('end', () => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', body });
    const url = new URL(req.url ?? '/', 'http://x');
    switch (url.pathname) {
      case '/health':
        return send(
          res,
          200,
          `{"implementation":"${implementation}","ok":true,"uptime_s":5,"version":"2.2.1-rip200"}\n`,
        );
      case '/ready':
        return send(res, 503, '{"ready":false,"version":"2.2.1-rip200"}\n');
      case '/epoch':
        return send(
          res,
          200,
          '{"blocks_per_epoch":5,"chain_id":"rustchain-devnet-dev","epoch":-3,"epoch_pot":1.5,"enrolled_miners":0,"slot":-11}\n',
        );
      case '/network/info':
        networkInfoCalls++;
        return send(
          res,
          200,
          '{"block_height":0,"chain_id":"rustchain-devnet-dev","min_fee":0,"network":"devnet","peer_count":0,"version":"2.2.1-rip200"}\n',
        );
      case '/wallet/balance':
        return send(
          res,
          200,
          `{"amount_i64":9223372036854775807,"amount_rtc":9223372036854.775,"available_i64":9223372036854775806,"miner_id":"${url.searchParams.get('miner_id')}","pending_out_i64":1}\n`,
        );
      case '/wallet/history':
        return send(res, 200, '{"miner_id":"x","ok":true,"total":1,"transactions":[{"amount":2.0,"type":"reward"}]}\n');
      case '/pending/list':
        pendingCalls++;
        return send(res, 200, '{"count":0,"ok":true,"pending":[]}\n');
      case '/wallet/transfer/signed':
        if (body.includes('"bad"'))
          return send(
            res,
            400,
            '{"code":"OUT_OF_ORDER_NONCE","error":"Signed transfer nonce must increase for this wallet","latest_nonce":1700000000005,"nonce":"5"}\n',
          );
        return send(
          res,
          200,
          '{"ok":true,"phase":"pending","pending_id":1,"tx_hash":"0123456789ABCDEF0123456789abcdef"}\n',
        );
      case '/broken':
        return send(res, 200, '<html>oops</html>');
      case '/slow':
        return; // never answers
      default:
        if (url.pathname.startsWith('/wallet/tx/')) {
          const h = url.pathname.slice('/wallet/tx/'.length);
          if (h === 'f'.repeat(32))
            return send(
              res,
              200,
              `{"block_height":4,"confirmations":1,"epoch":4,"ok":true,"status":"confirmed","tx_hash":"${h}","void_reason":null}\n`,
            );
          return send(res, 404, `{"error":"transaction_not_found","ok":false,"status":"not_found","tx_hash":"${h}"}\n`);
        }
        return send(res, 404, '{"error":"not_found","ok":false}\n');
    }
  });
}

beforeAll(async () => {
  server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

describe('node client', () => {
  it('decodes health, ready (503 is an answer), epoch with negative values', async () => {
    const c = new NodeClient(base + '/');
    expect(c.baseUrl).toBe(base);
    const h = await c.health();
    expect(h.ok).toBe(true);
    expect(h.implementation).toBe('rustchain-desktop/0.1.0');
    expect((await c.ready()).ready).toBe(false);
    const e = await c.epoch();
    expect(e.epoch).toBe(-3);
    expect(e.slot).toBe(-11);
    expect(e.epoch_pot).toBe(1.5);
    expect(e.chain_id).toBe('rustchain-devnet-dev');
  });

  it('keeps i64 balances exact beyond 2^53', async () => {
    const b = await new NodeClient(base).balance('RTCabc');
    expect(b.amount_i64).toBe(9223372036854775807n);
    expect(b.available_i64).toBe(9223372036854775806n);
    expect(b.pending_out_i64).toBe(1n);
    expect(b.miner_id).toBe('RTCabc');
  });

  it('caches the chain id per node across client instances', async () => {
    clearNodeCaches();
    const before = networkInfoCalls;
    expect(await new NodeClient(base).chainId()).toBe('rustchain-devnet-dev');
    expect(await new NodeClient(base).chainId()).toBe('rustchain-devnet-dev');
    expect(networkInfoCalls - before).toBe(1);
  });

  it('sends canonical JSON so float text survives, and decodes the 200', async () => {
    const c = new NodeClient(base);
    const r = await c.sendSignedTransfer({ amount_rtc: new PyFloat(2), nonce: 17000000000000001n, memo: 'é' });
    expect(r.tx_hash).toBe('0123456789abcdef0123456789abcdef');
    expect(r.phase).toBe('pending');
    const last = seen[seen.length - 1]!;
    expect(last.method).toBe('POST');
    expect(last.body).toBe('{"amount_rtc":2.0,"memo":"\\u00e9","nonce":17000000000000001}');
  });

  it('reports a node refusal as rejected with status, code and body', async () => {
    const err = await new NodeClient(base).sendSignedTransfer({ x: 'bad' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NodeClientError);
    const e = err as NodeClientError;
    expect(e.kind).toBe('rejected');
    expect(e.status).toBe(400);
    expect(e.nodeCode).toBe('OUT_OF_ORDER_NONCE');
    expect(e.noAnswer).toBe(false);
    expect((e.body as Record<string, unknown>)['latest_nonce']).toBe(1700000000005);
  });

  it('tx: 404 is not_found, 200 decodes, bad hashes are refused locally', async () => {
    const c = new NodeClient(base);
    expect((await c.tx('a'.repeat(32))).status).toBe('not_found');
    const t = await c.tx('F'.repeat(32));
    expect(t.status).toBe('confirmed');
    expect(t.epoch).toBe(4);
    await expect(c.tx('xyz')).rejects.toThrow(/32 hexadecimal/);
  });

  it('malformed answers and unknown paths', async () => {
    const c = new NodeClient(base);
    const m = await c.getObject('/broken').catch((e: unknown) => e);
    expect((m as NodeClientError).kind).toBe('malformed');
    const r = await c.getObject('/nope').catch((e: unknown) => e);
    expect((r as NodeClientError).kind).toBe('rejected');
    expect((r as NodeClientError).status).toBe(404);
  });

  it('timeout and unreachable are distinguished', async () => {
    const t = await new NodeClient(base, { timeoutMs: 200 }).getObject('/slow').catch((e: unknown) => e);
    expect((t as NodeClientError).kind).toBe('timeout');
    expect((t as NodeClientError).noAnswer).toBe(true);
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const u = await new NodeClient(`http://127.0.0.1:${port}`).health().catch((e: unknown) => e);
    expect((u as NodeClientError).kind).toBe('unreachable');
  });

  it('isOurNode follows /health implementation (A.10); /pending/list is cached only for other nodes', async () => {
    clearNodeCaches();
    implementation = 'rustchain-desktop/0.1.0';
    const ours = new NodeClient(base);
    expect(await ours.isOurNode()).toBe(true);
    let before = pendingCalls;
    await ours.pendingList({ minerId: 'RTCa', status: 'all', limit: 1 });
    await ours.pendingList({ minerId: 'RTCa', status: 'all', limit: 1 });
    expect(pendingCalls - before).toBe(2);

    clearNodeCaches();
    implementation = 'rustchain-node/2.2.1';
    const ref = new NodeClient(base);
    expect(await ref.isOurNode()).toBe(false);
    before = pendingCalls;
    await ref.pendingList({ minerId: 'RTCa', status: 'all', limit: 1 });
    await ref.pendingList({ minerId: 'RTCa', status: 'all', limit: 1 });
    expect(pendingCalls - before).toBe(1);
    clearNodeCaches();
    implementation = 'rustchain-desktop/0.1.0';
  });

  it('builds query strings for history', async () => {
    const h = await new NodeClient(base).history('RTCa b', { limit: 1, offset: 2 });
    expect(h.total).toBe(1);
    expect(h.transactions[0]).toEqual(parseJson('{"amount":2.0,"type":"reward"}'));
    expect(seen[seen.length - 1]!.url).toBe('/wallet/history?miner_id=RTCa+b&limit=1&offset=2');
  });

  it('refuses a non-http URL', () => {
    expect(() => new NodeClient('ftp://x')).toThrow();
    expect(() => new NodeClient('not a url')).toThrow();
  });
});
