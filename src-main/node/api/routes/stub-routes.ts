/** Harmless answers for the reference Mac and Windows miners (A.8.2): lottery polls and header submissions. */
import type { ApiContext, RouteTable } from '../context.js';

export function registerStubRoutes(r: RouteTable, ctx: ApiContext): void {
  r.get('/lottery/eligibility', () => ({
    status: 200,
    body: {
      eligible: false,
      reason: 'not_your_turn',
      slot: ctx.chain.schedule.slotAt(ctx.chain.now()),
      rotation_size: 0,
      slot_producer: null,
      your_turn_at_slot: null,
    },
  }));
  r.post('/headers/ingest_signed', () => ({ status: 200, body: { ok: true, ignored: true } }));
}
