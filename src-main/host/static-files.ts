/** Serves the built renderer (dist/renderer) read-only, with the security headers and no directory escapes. */
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { SECURITY_HEADERS } from './security-headers.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

export function staticFileHandler(rootDir: string) {
  const root = resolve(rootDir);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const send = (status: number, body: string | Buffer, type: string, cache = 'no-store') => {
      res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Cache-Control': cache });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed', 'text/plain');
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      return send(400, 'bad request', 'text/plain');
    }
    if (pathname.includes('\0')) return send(400, 'bad request', 'text/plain');
    // Client-side routes (no extension) get the app's index.html.
    const relative = extname(pathname) === '' ? 'index.html' : normalize(pathname).replace(/^([/\\])+/, '');
    const file = resolve(join(root, relative));
    if (file !== root && !file.startsWith(root + sep)) return send(403, 'forbidden', 'text/plain');
    try {
      const info = await stat(file);
      if (!info.isFile()) return send(404, 'not found', 'text/plain');
      const body = await readFile(file);
      // Vite puts a content hash in asset names, so those may be cached for good.
      const immutable = file.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-store';
      return send(200, body, CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', immutable);
    } catch {
      return send(404, 'not found', 'text/plain');
    }
  };
}
