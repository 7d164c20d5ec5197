/** A JSON answer of a service: HTTP status plus body (the API layer serialises it canonically). */
import type { JsonObject } from '../../protocol/canonical-json.js';

export interface Reply {
  status: number;
  body: JsonObject;
}

export const chainNotStarted = (): Reply => ({
  status: 503,
  body: { ok: false, error: 'chain_not_started', code: 'CHAIN_NOT_STARTED' },
});
