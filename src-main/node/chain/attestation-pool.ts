/**
 * The attestation pool of B.3: canonical-scheme attestations in normal form, and for each (miner, epoch)
 * its enrollment candidate — among the pooled attestations whose B.1 verdict passed, the smallest
 * (nonce_slot, id); if none passed, the smallest overall. Keeping only the current best is equivalent to
 * recomputing over the set, because the set only grows until its epoch commits.
 */
import { canonicalJson, type JsonObject } from '../../protocol/canonical-json.js';
import { sha256Hex } from '../../protocol/bytes.js';
import { attestationIdentity, attestationNonce, nonceSlot } from '../../protocol/attestation.js';
import { validateFingerprint } from '../../protocol/fingerprint/rules.js';
import { hardwareId, hardwareIdInput } from '../../protocol/fingerprint/hardware-id.js';
import type { BodyAttestation } from '../../protocol/epoch/types.js';

export const MAX_CANDIDATES_PER_EPOCH = 20_000;

export interface PoolEntry {
  epoch: number;
  receivedAt: number;
  /** Canonical JSON length, for the 12 MiB body limit. */
  size: number;
  att: BodyAttestation;
}

/** Everything execution needs about a normalised attestation (B.1 verdict, hardware id, …). */
export function bodyAttestationOf(normalised: JsonObject, id: string): BodyAttestation {
  const verdict = validateFingerprint({
    device: normalised.device,
    signals: normalised.signals,
    fingerprint: normalised.fingerprint,
  });
  const hwInput = hardwareIdInput(verdict.deviceArch, normalised.device, normalised.signals);
  return {
    object: normalised,
    id,
    miner: attestationIdentity(normalised) as string,
    publicKey: normalised.public_key as string,
    nonceSlot: nonceSlot(attestationNonce(normalised) as string),
    verdict,
    hardwareId: hardwareId(hwInput),
    fingerprintHash: sha256Hex(canonicalJson(normalised.fingerprint ?? null)),
  };
}

function better(a: BodyAttestation, b: BodyAttestation): boolean {
  if (a.verdict.passed !== b.verdict.passed) return a.verdict.passed;
  if (a.nonceSlot !== b.nonceSlot) return a.nonceSlot < b.nonceSlot;
  return a.id < b.id;
}

export type Offer = { candidate: boolean; poolFull: boolean };

export class AttestationPool {
  private readonly byEpoch = new Map<number, Map<string, PoolEntry>>();

  /** Adds a pooled attestation; tells whether it is now its miner's candidate. */
  offer(entry: PoolEntry): Offer {
    let miners = this.byEpoch.get(entry.epoch);
    if (!miners) {
      miners = new Map();
      this.byEpoch.set(entry.epoch, miners);
    }
    const current = miners.get(entry.att.miner);
    if (!current) {
      if (miners.size >= MAX_CANDIDATES_PER_EPOCH) return { candidate: false, poolFull: true };
      miners.set(entry.att.miner, entry);
      return { candidate: true, poolFull: false };
    }
    if (current.att.id === entry.att.id) return { candidate: true, poolFull: false };
    if (better(entry.att, current.att)) {
      miners.set(entry.att.miner, entry);
      return { candidate: true, poolFull: false };
    }
    return { candidate: false, poolFull: false };
  }

  candidate(epoch: number, miner: string): PoolEntry | undefined {
    return this.byEpoch.get(epoch)?.get(miner);
  }

  candidates(epoch: number): PoolEntry[] {
    return [...(this.byEpoch.get(epoch)?.values() ?? [])];
  }

  candidateCount(epoch: number): number {
    return this.byEpoch.get(epoch)?.size ?? 0;
  }

  /** Forgets epochs below `epoch` (candidates of the last committed epoch stay for /epoch/enroll). */
  forgetBefore(epoch: number): void {
    for (const e of this.byEpoch.keys()) if (e < epoch) this.byEpoch.delete(e);
  }
}
