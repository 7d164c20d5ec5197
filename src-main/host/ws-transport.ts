/**
 * The app contract over a WebSocket: requests `{type:"call",id,command,args}` are answered with
 * `{type:"result",id,ok,...}`; events are pushed as `{type:"event",name,payload}`.
 *
 * Only connections that present the host's random token and come from the host's own origin are accepted,
 * so other local users' browsers and other web pages cannot drive the wallet.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { WireRequest, type WireMessage } from '../app/contract.js';
import { dispatch, type Handlers } from '../app/dispatch.js';
import type { EventHub } from '../app/event-hub.js';

export const WS_PATH = '/ws';
const MAX_MESSAGE_BYTES = 1024 * 1024;

export interface WsTransportOptions {
  token: string;
  /** Origins allowed to connect, e.g. `http://127.0.0.1:41234`. */
  allowedOrigins: () => string[];
  handlers: Handlers;
  events: EventHub;
  onUnexpected?: (command: string, err: unknown) => void;
}

function tokenMatches(expected: string, given: string | null): boolean {
  if (given === null) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export class WsTransport {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  constructor(private readonly options: WsTransportOptions) {
    this.wss.on('connection', (socket) => this.serve(socket));
  }

  /** Handles an HTTP upgrade; answers 401/403/404 itself when the request is not ours. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const reject = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return reject(400, 'Bad Request');
    }
    if (url.pathname !== WS_PATH) return reject(404, 'Not Found');
    if (!tokenMatches(this.options.token, url.searchParams.get('token'))) return reject(401, 'Unauthorized');
    const origin = req.headers.origin;
    if (origin === undefined || !this.options.allowedOrigins().includes(origin)) return reject(403, 'Forbidden');
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
  }

  private serve(socket: WebSocket): void {
    const send = (message: WireMessage) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
    };
    const unsubscribe = this.options.events.subscribe((event) => send({ type: 'event', ...event }));
    socket.on('close', unsubscribe);
    socket.on('error', () => socket.terminate());
    socket.on('message', (data, isBinary) => {
      if (isBinary) return socket.close(1003, 'text frames only');
      let request: WireRequest;
      try {
        request = WireRequest.parse(JSON.parse(data.toString()));
      } catch {
        return socket.close(1007, 'malformed request');
      }
      void dispatch(this.options.handlers, request.command, request.args, {
        onUnexpected: this.options.onUnexpected,
      }).then((outcome) => send({ type: 'result', id: request.id, ...outcome }));
    });
  }

  close(): void {
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
  }
}
