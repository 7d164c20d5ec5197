/**
 * What the gossip layer needs from the node (see index.ts for the contract in prose).
 */
import type { JsonObject } from '../../protocol/canonical-json.js';
import type { Certificate } from '../../protocol/epoch/finality.js';
import type { Verdict } from '../chain/finality/round.js';

export type ObjectKind = 'attestation' | 'transfer';

/**
 * Result of admitting a relayed attestation or transfer (B.8.5): `new` → pooled, relay and +1;
 * `known` → already held; `ignored` → valid but outside a window or cap (no penalty, not relayed);
 * `invalid` → −20.
 */
export type AdmitStatus = 'new' | 'known' | 'ignored' | 'invalid';

export interface CommittedPair {
  commit: Certificate;
  body: JsonObject;
}

export interface P2PHost {
  readonly chainId: string;
  readonly genesisHash: string;
  /** Genesis validator public keys (hex), in order, and the quorum q (B.7.1). */
  readonly validators: readonly string[];
  readonly quorum: number;
  /** Last committed epoch (first_epoch − 1 before any) and its hash (the genesis hash before any). */
  tip(): { epoch: number; hash: string };
  /** Ids for the post-handshake INV (B.8.8): current and previous epoch candidates; pending transfers. */
  poolIds(kind: ObjectKind): string[];
  hasObject(kind: ObjectKind, id: string): boolean;
  /** Objects for a GET; unknown ids are skipped. */
  getObjects(kind: ObjectKind, ids: readonly string[]): JsonObject[];
  /** The id of a relayed object (attestation id, tx_id), or null when it has no valid shape. */
  objectId(kind: ObjectKind, obj: JsonObject): string | null;
  admitObject(kind: ObjectKind, obj: JsonObject, fromPeer: string): AdmitStatus;
  /** Committed (certificate, body) pairs of from … to that exist, ascending. */
  committedRange(from: number, to: number): CommittedPair[];
  /**
   * Re-executes and applies a pair whose certificate was verified against the tip (B.7.5).
   * Returns false (or throws) when the body does not reproduce the header.
   */
  applyCommitted(certificate: Certificate, body: JsonObject): boolean;
  /** Finality inputs (normally FinalityEngine.handle*); only `accepted` objects are relayed. */
  onProposal(proposal: JsonObject, body: JsonObject, fromPeer: string): Verdict;
  onVote(vote: JsonObject, fromPeer: string): Verdict;
  onCommit(certificate: JsonObject, fromPeer: string): Verdict;
}
