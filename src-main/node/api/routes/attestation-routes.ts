/** /attest/challenge, /attest/submit, /epoch/enroll (A.6, A.7). */
import { attestationError } from '../../../protocol/attestation.js';
import { enroll, issueChallenge, submitAttestation } from '../../chain/attestation-service.js';
import { parseBody } from '../body.js';
import type { ApiContext, RouteTable } from '../context.js';
import { clientIp } from '../http.js';

export function registerAttestationRoutes(r: RouteTable, ctx: ApiContext): void {
  const { chain } = ctx;

  r.post('/attest/challenge', (req) => {
    if (ctx.limits) {
      const w = ctx.limits.challenge.hit(clientIp(req), chain.now());
      if (!w.allowed) {
        return {
          status: 429,
          body: {
            ok: false,
            error: 'rate_limited',
            code: 'CHALLENGE_RATE_LIMIT',
            message: `at most ${w.limit} challenges per minute`,
            reason: 'per_ip_challenge_limit',
          },
          headers: { 'Retry-After': String(Math.max(1, Math.ceil(w.resetAt - chain.now()))) },
        };
      }
    }
    const parsed = parseBody(req);
    if (!parsed.ok) {
      return {
        status: 400,
        body: {
          ok: false,
          error: 'invalid_json_object',
          code: 'INVALID_JSON_OBJECT',
          message: 'request body is not JSON',
        },
      };
    }
    return issueChallenge(chain, parsed.value);
  });

  r.post('/attest/submit', (req) => {
    const parsed = parseBody(req);
    const reply =
      !parsed.ok || parsed.value === undefined
        ? attestationError(400, 'INVALID_JSON_OBJECT', 'request body must be a JSON object')
        : submitAttestation(chain, parsed.value, clientIp(req), ctx.limits?.submit ?? null);
    ctx.metrics.attestations.inc({ result: reply.status === 200 ? 'accepted' : 'rejected' });
    return reply;
  });

  r.post('/epoch/enroll', (req) => {
    const parsed = parseBody(req);
    if (!parsed.ok || parsed.value === undefined) return { status: 400, body: { error: 'Invalid JSON body' } };
    return enroll(chain, parsed.value);
  });
}
