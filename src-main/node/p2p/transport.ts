/**
 * The wire under the gossip layer (B.8.1): text frames over WebSocket. `Transport` keeps the peer
 * logic independent of `ws`, so another carrier (or an in-process pipe) can be plugged in.
 */
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { AddressInfo } from 'node:net';
import { MAX_FRAME_BYTES } from './limits.js';

export interface Conn {
  readonly remoteAddress: string;
  /** Bytes handed to the socket and not yet written. */
  readonly bufferedAmount: number;
  send(text: string, done: (err?: Error) => void): void;
  close(code: number, reason: string): void;
  onMessage(fn: (data: Buffer, isBinary: boolean) => void): void;
  onClose(fn: (code: number, reason: string) => void): void;
}

export interface Transport {
  listen(host: string, port: number, onConn: (conn: Conn) => void): Promise<{ host: string; port: number }>;
  dial(url: string): Promise<Conn>;
  close(): Promise<void>;
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

class WsConn implements Conn {
  /** Frames that arrived before a listener was attached (the peer's HELLO can share the upgrade packet). */
  private early: [Buffer, boolean][] = [];
  private listener: ((data: Buffer, isBinary: boolean) => void) | null = null;

  constructor(
    private readonly ws: WebSocket,
    readonly remoteAddress: string,
  ) {
    // Errors always end in 'close', which is what the peer logic listens to.
    ws.on('error', () => undefined);
    ws.on('message', (data, isBinary) => {
      if (this.listener) this.listener(toBuffer(data), isBinary);
      else this.early.push([toBuffer(data), isBinary]);
    });
  }

  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  send(text: string, done: (err?: Error) => void): void {
    if (this.ws.readyState !== WebSocket.OPEN) {
      done(new Error('socket is not open'));
      return;
    }
    this.ws.send(text, { binary: false }, done);
  }

  close(code: number, reason: string): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) {
      this.ws.close(code, reason);
    }
  }

  onMessage(fn: (data: Buffer, isBinary: boolean) => void): void {
    this.listener = fn;
    const early = this.early;
    this.early = [];
    for (const [data, isBinary] of early) fn(data, isBinary);
  }

  onClose(fn: (code: number, reason: string) => void): void {
    this.ws.on('close', (code, reason) => fn(code, reason.toString('utf8')));
  }
}

const WS_OPTIONS = { maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false } as const;

export class WsTransport implements Transport {
  private server: WebSocketServer | null = null;
  private readonly clients = new Set<WebSocket>();

  async listen(host: string, port: number, onConn: (conn: Conn) => void): Promise<{ host: string; port: number }> {
    const server = new WebSocketServer({ host, port, ...WS_OPTIONS });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    server.on('connection', (ws, req) => onConn(new WsConn(ws, req.socket.remoteAddress ?? 'unknown')));
    const address = server.address() as AddressInfo;
    return { host: address.address, port: address.port };
  }

  dial(url: string): Promise<Conn> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, WS_OPTIONS);
      this.clients.add(ws);
      ws.once('close', () => this.clients.delete(ws));
      // Wrap before 'open' so that no early frame is missed.
      const conn = new WsConn(ws, new URL(url).hostname);
      ws.once('open', () => {
        ws.removeListener('error', reject);
        resolve(conn);
      });
      ws.once('error', reject);
    });
  }

  async close(): Promise<void> {
    for (const ws of this.clients) ws.terminate();
    this.clients.clear();
    const server = this.server;
    this.server = null;
    if (!server) return;
    for (const ws of server.clients) ws.terminate();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
