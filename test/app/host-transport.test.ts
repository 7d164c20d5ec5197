/**
 * The headless host's door: a real HTTP + WebSocket server on 127.0.0.1, the real AppService over a real
 * (empty) wallet home and no node. Checks the token and Origin rules, zod validation and static serving.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AppService } from '../../src-main/app/app-service.js';
import { EventHub } from '../../src-main/app/event-hub.js';
import { createServiceBindings } from '../../src-main/app/service-bindings.js';
import { SettingsStore } from '../../src-main/app/settings-store.js';
import { startHost, type RunningHost } from '../../src-main/host/host.js';

let home: string;
let host: RunningHost;
let service: AppService;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'rustchain-host-test-'));
  const events = new EventHub();
  const bindings = createServiceBindings({ home });
  service = new AppService({
    version: 'test',
    shell: 'host',
    home,
    wallet: bindings.wallet,
    nodeClient: bindings.nodeClient,
    events,
    settings: new SettingsStore(home),
    embeddedNodeUrl: () => null,
  });
  await service.start();
  host = await startHost({ handlers: service.handlers, events, rendererDir: join(process.cwd(), 'src-renderer') });
});

afterAll(async () => {
  service.stop();
  await host.close();
  rmSync(home, { recursive: true, force: true });
});

function connect(
  query: string,
  origin: string | undefined,
): Promise<{ ws: WebSocket; received: Array<Record<string, unknown>> } | { status: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws${query}`, origin ? { origin } : {});
    const received: Array<Record<string, unknown>> = [];
    ws.on('message', (d) => received.push(JSON.parse(d.toString()) as Record<string, unknown>));
    ws.once('open', () => resolve({ ws, received }));
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    ws.once('error', () => undefined);
  });
}

function call(ws: WebSocket, id: number, command: string, args: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const m = JSON.parse(data.toString()) as Record<string, unknown>;
      if (m.type === 'result' && m.id === id) {
        ws.off('message', onMessage);
        resolve(m);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ type: 'call', id, command, args }));
  });
}

describe('headless host', () => {
  it('rejects a WebSocket without the token, with a wrong token, or from another origin', async () => {
    expect(await connect('', host.origin)).toEqual({ status: 401 });
    expect(await connect('?token=' + 'x'.repeat(host.token.length), host.origin)).toEqual({ status: 401 });
    expect(await connect(`?token=${host.token}`, 'http://evil.example')).toEqual({ status: 403 });
    expect(await connect(`?token=${host.token}`, undefined)).toEqual({ status: 403 });
  });

  it('answers commands, validates arguments with the contract and pushes state events', async () => {
    const opened = await connect(`?token=${host.token}`, host.origin);
    if (!('ws' in opened)) throw new Error(`not opened: ${opened.status}`);
    const { ws, received } = opened;

    const info = await call(ws, 1, 'app.info', {});
    expect(info).toMatchObject({ ok: true, result: { version: 'test', shell: 'host', dataDir: home } });

    const state = await call(ws, 2, 'wallet.state', {});
    expect(state).toMatchObject({ ok: true, result: { accounts: [], active: null, locked: true } });

    const unknown = await call(ws, 3, 'wallet.steal', {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'invalid_request' } });

    const badArgs = await call(ws, 4, 'wallet.prepareSend', { to: 'RTCnope', amount: '1' });
    expect(badArgs).toMatchObject({ ok: false, error: { code: 'invalid_request' } });

    const locked = await call(ws, 5, 'wallet.balance', {});
    expect(locked).toMatchObject({ ok: false, error: { code: 'no_wallet' } });

    const badMnemonic = await call(ws, 6, 'wallet.restoreCandidates', { mnemonic: 'not a real phrase at all' });
    expect(badMnemonic).toMatchObject({ ok: false, error: { code: 'invalid_mnemonic' } });

    // The latest state was replayed on connect, before any call was answered.
    expect(received.find((m) => m.type === 'event' && m.name === 'wallet.state')).toMatchObject({
      payload: { accounts: [], locked: true },
    });

    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('this is not json');
    expect(await closed).toBe(1007);
  });

  it('serves the renderer with a strict CSP and refuses paths outside it', async () => {
    const res = await fetch(`${host.origin}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await res.text()).toContain('<div id="root">');
    const escape = await fetch(`${host.origin}/..%2f..%2fpackage.json`);
    expect([403, 404]).toContain(escape.status);
  });
});
