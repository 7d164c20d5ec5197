/** Request bodies come as raw bytes (any Content-Type) and are parsed with the A.4.1 parser. */
import type { FastifyRequest } from 'fastify';
import { parseJsonBytes, type JsonValue } from '../../protocol/canonical-json.js';

export type ParsedBody = { ok: true; value: JsonValue | undefined } | { ok: false };

/** `value` is undefined for an empty body. */
export function parseBody(req: FastifyRequest): ParsedBody {
  const raw = req.body;
  if (raw === undefined || raw === null) return { ok: true, value: undefined };
  if (!(raw instanceof Uint8Array)) return { ok: false };
  if (raw.length === 0) return { ok: true, value: undefined };
  try {
    return { ok: true, value: parseJsonBytes(raw) };
  } catch {
    return { ok: false };
  }
}
