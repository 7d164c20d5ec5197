/**
 * `POST /wallet/transfer/signed` (A.5): the protocol's stateless rows 1–22, then the pool's rows 23–25,
 * then the A.5.6 answer — sent only after the transfer is in SQLite (the transfers accepted in one turn
 * of the event loop share one transaction).
 */
import { PyFloat, type JsonValue } from '../../protocol/canonical-json.js';
import { checkSignedTransferRequest } from '../../protocol/transfer.js';
import type { Chain } from './chain.js';
import { chainNotStarted, type Reply } from './replies.js';
import type { PooledTransfer } from './transfer-pool.js';

export async function submitTransfer(chain: Chain, body: JsonValue): Promise<Reply & { accepted?: PooledTransfer }> {
  const now = chain.now();
  if (!chain.schedule.started(now)) return chainNotStarted();
  const check = checkSignedTransferRequest(body, { chainId: chain.genesis.chain_id, verify: chain.verify });
  if (!check.ok) return { status: check.status, body: check.body };
  const t = check.transfer;
  let receiptEpoch = chain.schedule.epochAt(now);
  // A transfer can never belong to an epoch that is already committed (possible only within a second
  // of a commit when the clock and the timer disagree).
  receiptEpoch = Math.max(receiptEpoch, chain.nextEpoch());
  const admitted = chain.transferPool.admit(t, chain.state, now, receiptEpoch);
  if (!admitted.ok) return { status: admitted.status, body: admitted.body };
  await admitted.stored;
  const confirmsAt = chain.schedule.proposalDue(receiptEpoch);
  chain.emit('transfer', admitted.pooled);
  return {
    status: 200,
    accepted: admitted.pooled,
    body: {
      ok: true,
      verified: true,
      signature_type: 'Ed25519',
      replay_protected: true,
      phase: 'pending',
      pending_id: admitted.pooled.pendingId,
      tx_hash: t.txHash,
      from_address: t.from,
      to_address: t.to,
      amount_rtc: t.signedAmount,
      chain_id: t.chainId,
      confirms_at: confirmsAt,
      confirms_in_hours: new PyFloat(Math.max(0, confirmsAt - now) / 3600),
      message: `Transfer pending; it confirms when epoch ${receiptEpoch} settles`,
    },
  };
}
