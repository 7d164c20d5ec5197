/**
 * The node side of the gossip contract (`P2PHost`, p2p/host.ts) over the local Chain: pooled transfers
 * for INV/GET, B.8.5 admission of relayed transfers, committed (certificate, body) pairs for sync, and
 * applying a synced epoch through the chain's single writer.
 *
 * With a single validator (n = 1) there is no FinalityEngine: PROPOSAL/VOTE/COMMIT frames are `dropped`
 * and committed epochs arrive through sync only. With n > 1 they go to the engine, and every applied
 * epoch moves it on. Attestations are not gossiped yet (see docs/decisions/p2p-finality.md).
 */
import { parseJson, type JsonObject } from '../protocol/canonical-json.js';
import { hexToBytes, isHex } from '../protocol/bytes.js';
import type { Certificate } from '../protocol/epoch/finality.js';
import { quorum as quorumOf } from '../protocol/genesis.js';
import { txIdOf, validateTransferObject } from '../protocol/transfer.js';
import type { Chain } from './chain/chain.js';
import type { FinalityEngine, Verdict } from './chain/finality/index.js';
import type { AdmitStatus, CommittedPair, ObjectKind, P2PHost } from './p2p/index.js';

/** The second argument of the chain's `transfer` event when the transfer came in by gossip. */
export const FROM_GOSSIP = 'gossip';

export class ChainP2PHost implements P2PHost {
  readonly chainId: string;
  readonly genesisHash: string;
  readonly validators: readonly string[];
  readonly quorum: number;
  /** Multi-validator finality (n > 1); null on single-validator chains. */
  engine: FinalityEngine | null = null;

  constructor(
    private readonly chain: Chain,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {
    this.chainId = chain.genesis.chain_id;
    this.genesisHash = chain.genesisHash;
    this.validators = chain.genesis.validators.map((v) => v.public_key);
    this.quorum = quorumOf(this.validators.length);
  }

  tip(): { epoch: number; hash: string } {
    const t = this.chain.tip;
    return t
      ? { epoch: t.epoch, hash: t.epochHash }
      : { epoch: this.chain.genesis.first_epoch - 1, hash: this.genesisHash };
  }

  poolIds(kind: ObjectKind): string[] {
    if (kind !== 'transfer') return [];
    return [...this.chain.transferPool.all()].map((p) => p.txId);
  }

  hasObject(kind: ObjectKind, id: string): boolean {
    return kind === 'transfer' && this.chain.transferPool.get(id) !== undefined;
  }

  getObjects(kind: ObjectKind, ids: readonly string[]): JsonObject[] {
    if (kind !== 'transfer') return [];
    return ids.flatMap((id) => {
      const p = this.chain.transferPool.get(id);
      return p ? [p.object] : [];
    });
  }

  /** tx_id from the object's own fields; the signature is checked later, in admitObject. */
  objectId(kind: ObjectKind, obj: JsonObject): string | null {
    if (kind !== 'transfer') return null;
    const { message, signature } = obj;
    if (typeof message !== 'string' || typeof signature !== 'string' || signature.length !== 128 || !isHex(signature)) {
      return null;
    }
    return txIdOf(message, hexToBytes(signature));
  }

  /**
   * B.8.5: a relayed transfer must be valid by the body rules of B.4 (else `invalid`) and pass the
   * A.5.5 pool rows 23–25 against committed state plus pool, like an HTTP request (else `ignored`).
   */
  admitObject(kind: ObjectKind, obj: JsonObject): AdmitStatus {
    if (kind !== 'transfer') return 'ignored';
    const check = validateTransferObject(obj, this.chainId, this.chain.verify);
    if (!check.ok) return 'invalid';
    const t = check.transfer;
    if (this.chain.transferPool.get(t.txId)) return 'known';
    const now = this.chain.now();
    if (!this.chain.schedule.started(now)) return 'ignored';
    const receiptEpoch = Math.max(this.chain.schedule.epochAt(now), this.chain.nextEpoch());
    const admitted = this.chain.transferPool.admit(t, this.chain.state, now, receiptEpoch);
    if (!admitted.ok) return 'ignored';
    // Pooled now (so it is relayed and proposable); the SQLite row follows with the next group commit.
    admitted.stored.then(() => this.chain.emit('transfer', admitted.pooled, FROM_GOSSIP), this.onError);
    return 'new';
  }

  committedRange(from: number, to: number): CommittedPair[] {
    const out: CommittedPair[] = [];
    for (let e = Math.max(from, this.chain.genesis.first_epoch); e <= to; e++) {
      const row = this.chain.stores.epochs.get(e);
      if (!row) break;
      out.push({ commit: parseJson(row.certificate) as Certificate, body: parseJson(row.body) as JsonObject });
    }
    return out;
  }

  applyCommitted(certificate: Certificate, body: JsonObject): boolean {
    this.chain.applyCertified(certificate, body);
    this.engine?.advance(this.tip());
    return true;
  }

  onProposal(proposal: JsonObject, body: JsonObject): Verdict {
    return this.engine?.handleProposal(proposal, body) ?? 'dropped';
  }

  onVote(vote: JsonObject): Verdict {
    return this.engine?.handleVote(vote) ?? 'dropped';
  }

  onCommit(certificate: JsonObject): Verdict {
    return this.engine?.handleCertificate(certificate) ?? 'dropped';
  }
}
