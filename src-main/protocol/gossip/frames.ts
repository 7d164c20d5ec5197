/**
 * Gossip frames (PROTOCOL.md B.8.2): `{"type":"T","id":"<ID>","payload":<P>}` with P the canonical JSON
 * of the payload object and ID the first 32 hex digits of SHA-256(P). Receivers match the prefix before
 * parsing, recompute the id from the received payload bytes, and refuse non-canonical payloads so that
 * one object cannot travel under several ids.
 */
import { canonicalJson, isJsonObject, JsonError, parseJson, type JsonObject } from '../canonical-json.js';
import { sha256Hex, utf8 } from '../bytes.js';

export const FRAME_PREFIX = /^\{"type":"([A-Z_]{2,16})","id":"([0-9a-f]{32})","payload":\{/;
const TYPE_RE = /^[A-Z_]{2,16}$/;

export function frameId(payloadText: string): string {
  return sha256Hex(utf8(payloadText)).slice(0, 32);
}

export interface EncodedFrame {
  text: string;
  id: string;
}

export function encodeFrame(type: string, payload: JsonObject): EncodedFrame {
  if (!TYPE_RE.test(type)) throw new Error(`bad frame type ${type}`);
  const p = canonicalJson(payload);
  const id = frameId(p);
  return { text: `{"type":"${type}","id":"${id}","payload":${p}}`, id };
}

/** What a receiver can learn before parsing: the type (for the size limit) and the id (for the seen-cache). */
export function peekFrame(text: string): { type: string; id: string } | null {
  const m = FRAME_PREFIX.exec(text);
  return m ? { type: m[1] as string, id: m[2] as string } : null;
}

export type FrameError = 'bad_prefix' | 'bad_json' | 'id_mismatch' | 'non_canonical';

export type DecodedFrame =
  { ok: true; type: string; id: string; payload: JsonObject } | { ok: false; error: FrameError; message: string };

export function decodeFrame(text: string): DecodedFrame {
  const head = peekFrame(text);
  if (head === null || !text.endsWith('}')) {
    return { ok: false, error: 'bad_prefix', message: 'frame does not start with the B.8.2 prefix' };
  }
  const start = text.indexOf('"payload":') + '"payload":'.length;
  const payloadText = text.slice(start, -1);
  let payload;
  try {
    payload = parseJson(payloadText);
  } catch (e) {
    const message = e instanceof JsonError ? e.message : 'payload is not JSON';
    return { ok: false, error: 'bad_json', message };
  }
  if (!isJsonObject(payload)) return { ok: false, error: 'bad_json', message: 'payload is not an object' };
  if (frameId(payloadText) !== head.id) {
    return { ok: false, error: 'id_mismatch', message: 'frame id is not the hash of its payload' };
  }
  if (canonicalJson(payload) !== payloadText) {
    return { ok: false, error: 'non_canonical', message: 'payload is not canonical JSON' };
  }
  return { ok: true, type: head.type, id: head.id, payload };
}
