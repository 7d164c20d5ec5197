/** The checked form of an epoch body (B.6.1) that execution works on; `body.ts` produces it. */
import type { JsonObject } from '../canonical-json.js';
import type { FingerprintVerdict } from '../fingerprint/rules.js';

export interface BodyAttestation {
  /** The attestation exactly as it appears in the body (normal form). */
  object: JsonObject;
  id: string;
  miner: string;
  publicKey: string;
  nonceSlot: bigint;
  verdict: FingerprintVerdict;
  hardwareId: string;
  /** SHA-256 of the canonical JSON of `fingerprint`, for the `fingerprint_reused` rule. */
  fingerprintHash: string;
}

export interface BodyTransfer {
  object: JsonObject;
  txId: string;
  from: string;
  to: string;
  amountI64: bigint;
  nonce: bigint;
}

export interface EpochBody {
  epoch: number;
  attestations: BodyAttestation[];
  transfers: BodyTransfer[];
}

export interface EpochHeader {
  chain_id: string;
  epoch: number;
  prev_hash: string;
  attestations_root: string;
  transfers_root: string;
  rewards_root: string;
  state_root: string;
}

export const HEADER_KEYS = [
  'attestations_root',
  'chain_id',
  'epoch',
  'prev_hash',
  'rewards_root',
  'state_root',
  'transfers_root',
] as const;
