/**
 * The headless host: the built renderer and the app contract on one 127.0.0.1 port. The page URL carries
 * the random token in its fragment (never sent in HTTP requests); the renderer passes it to the WebSocket.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Handlers } from '../app/dispatch.js';
import type { EventHub } from '../app/event-hub.js';
import { staticFileHandler } from './static-files.js';
import { WsTransport } from './ws-transport.js';

export interface HostOptions {
  handlers: Handlers;
  events: EventHub;
  rendererDir: string;
  port?: number;
  host?: string;
  token?: string;
  onUnexpected?: (command: string, err: unknown) => void;
}

export interface RunningHost {
  /** Open this in a browser: `http://127.0.0.1:<port>/#token=<token>`. */
  url: string;
  origin: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

export async function startHost(options: HostOptions): Promise<RunningHost> {
  const token = options.token ?? randomBytes(24).toString('hex');
  const hostname = options.host ?? '127.0.0.1';
  let origins: string[] = [];
  const transport = new WsTransport({
    token,
    allowedOrigins: () => origins,
    handlers: options.handlers,
    events: options.events,
    onUnexpected: options.onUnexpected,
  });
  const serveStatic = staticFileHandler(options.rendererDir);
  const server: Server = createServer((req, res) => void serveStatic(req, res));
  server.on('upgrade', (req, socket, head) => transport.handleUpgrade(req, socket, head));
  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(options.port ?? 0, hostname, () => resolveListen());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://${hostname}:${port}`;
  origins = [origin, `http://localhost:${port}`];
  return {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    port,
    close: () =>
      new Promise<void>((resolveClose) => {
        transport.close();
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}
