/**
 * A local stand-in for the Ergo node REST API endpoints that anchoring uses, with Ergo's request and
 * response shapes: `api_key` header check, `{"error","reason","detail"}` error bodies, wallet and mempool
 * transaction lists whose outputs carry `additionalRegisters`. Each send is scripted by the test.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** ok: 200 + tx id; error: Ergo error JSON; hang: record the tx, never answer; drop: record, cut the socket. */
export type SendScript = 'ok' | 'hang' | 'drop' | { status: number; reason: string; detail: string };

export interface FakeTx {
  id: string;
  inputs: unknown[];
  dataInputs: unknown[];
  outputs: { boxId: string; value: number; ergoTree: string; additionalRegisters: Record<string, string> }[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  apiKey: string | undefined;
  body: unknown;
}

export class FakeErgo {
  readonly apiKey = 'hunter2-ergo-key';
  readonly requests: RecordedRequest[] = [];
  readonly walletTxs: FakeTx[] = [];
  readonly mempool: FakeTx[] = [];
  /** Consumed one per send; when empty, sends succeed. */
  readonly sendScript: SendScript[] = [];
  /** Sends whose R5 (epoch register) is in this set answer 500. */
  readonly failingR5 = new Set<string>();
  /** When true, the look-up endpoints answer 500. */
  lookupBroken = false;
  /** Wallet side of mode `sign`. */
  walletUnlocked = false;
  readonly walletPassword = 'wallet-pass';
  private readonly server: Server;
  private readonly hanging = new Set<ServerResponse>();
  private txCounter = 0;

  private constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  static async start(): Promise<FakeErgo> {
    const fake = new FakeErgo();
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  sends(): RecordedRequest[] {
    return this.requests.filter((r) => r.path === '/wallet/transaction/send' || r.path === '/transactions');
  }

  lookups(): RecordedRequest[] {
    return this.requests.filter(
      (r) => r.path === '/wallet/transactions' || r.path.startsWith('/transactions/unconfirmed'),
    );
  }

  /** Moves every mempool transaction into the wallet's confirmed list. */
  confirmAll(): void {
    this.walletTxs.push(...this.mempool.splice(0));
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private error(res: ServerResponse, status: number, reason: string, detail: string): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: status, reason, detail }));
  }

  private json(res: ServerResponse, body: unknown): void {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private newTx(outputs: { value: number; registers: Record<string, string> }[]): FakeTx {
    const id = createHash('sha256').update(`tx-${++this.txCounter}`).digest('hex');
    return {
      id,
      inputs: [{ boxId: 'aa'.repeat(32) }],
      dataInputs: [],
      outputs: outputs.map((o, i) => ({
        boxId: createHash('sha256').update(`${id}-${i}`).digest('hex'),
        value: o.value,
        ergoTree: '0008cd' + '02'.repeat(33),
        additionalRegisters: o.registers,
      })),
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = undefined;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        return this.error(res, 400, 'bad.request', 'The request content was malformed');
      }
    }
    const url = new URL(req.url ?? '/', 'http://x');
    const apiKey = req.headers['api_key'] as string | undefined;
    this.requests.push({ method: req.method ?? '', path: url.pathname + url.search, apiKey, body });
    const route = `${req.method} ${url.pathname}`;
    if (route !== 'GET /info' && route !== 'GET /transactions/unconfirmed' && apiKey !== this.apiKey) {
      return this.error(res, 403, 'Forbidden', 'Provided API key is not correct');
    }
    switch (route) {
      case 'POST /wallet/transaction/send':
        return this.send(res, body);
      case 'GET /wallet/transactions':
        if (this.lookupBroken) return this.error(res, 500, 'Internal Server Error', 'wallet scan failed');
        return this.json(
          res,
          this.walletTxs.map((t) => ({ ...t, inclusionHeight: 1000, numConfirmations: 3 })),
        );
      case 'GET /transactions/unconfirmed': {
        if (this.lookupBroken) return this.error(res, 500, 'Internal Server Error', 'mempool unavailable');
        const limit = Number(url.searchParams.get('limit') ?? 50);
        const offset = Number(url.searchParams.get('offset') ?? 0);
        return this.json(res, this.mempool.slice(offset, offset + limit));
      }
      case 'GET /wallet/status':
        return this.json(res, {
          isInitialized: true,
          isUnlocked: this.walletUnlocked,
          changeAddress: '',
          walletHeight: 1000,
          error: '',
        });
      case 'POST /wallet/unlock':
        if ((body as { pass?: unknown })?.pass !== this.walletPassword) {
          return this.error(res, 400, 'bad.request', 'Wallet could not be unlocked');
        }
        this.walletUnlocked = true;
        return this.json(res, {});
      case 'GET /wallet/boxes/unspent':
        return this.json(res, [
          {
            confirmationsNum: 5,
            box: { boxId: 'b1'.repeat(32), value: 1_000_000, ergoTree: '0008cd' + '03'.repeat(33) },
          },
          {
            confirmationsNum: 5,
            box: { boxId: 'b2'.repeat(32), value: 50_000_000, ergoTree: '0008cd' + '03'.repeat(33) },
          },
        ]);
      case 'GET /info':
        return this.json(res, { fullHeight: 123456, name: 'fake-ergo' });
      case 'POST /wallet/transaction/sign': {
        if (!this.walletUnlocked) return this.error(res, 400, 'bad.request', 'Wallet is locked');
        const tx = (body as { tx: { outputs: { value: number; additionalRegisters: Record<string, string> }[] } }).tx;
        const signed = this.newTx(tx.outputs.map((o) => ({ value: o.value, registers: o.additionalRegisters })));
        return this.json(res, signed);
      }
      case 'POST /transactions':
        this.mempool.push(body as FakeTx);
        return this.json(res, (body as FakeTx).id);
      default:
        if (url.pathname.startsWith('/utxo/byIdBinary/')) {
          return this.json(res, { boxId: url.pathname.split('/').pop(), bytes: 'cafe'.repeat(20) });
        }
        return this.error(res, 404, 'Not Found', `no route ${route}`);
    }
  }

  private send(res: ServerResponse, body: unknown): void {
    const request = (body as { requests: { value: number; registers: Record<string, string> }[] }).requests[0]!;
    if (this.failingR5.has(request.registers.R5 ?? '')) {
      return this.error(res, 500, 'Internal Server Error', 'not enough boxes');
    }
    const script = this.sendScript.shift() ?? 'ok';
    if (typeof script === 'object') return this.error(res, script.status, script.reason, script.detail);
    const tx = this.newTx([{ value: request.value, registers: request.registers }]);
    this.mempool.push(tx);
    if (script === 'hang') {
      this.hanging.add(res);
      return;
    }
    if (script === 'drop') {
      res.socket?.destroy();
      return;
    }
    return this.json(res, tx.id);
  }
}
