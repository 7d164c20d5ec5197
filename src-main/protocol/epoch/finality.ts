/**
 * Finality objects (PROTOCOL.md B.7.3) and the commit-certificate validity rule of B.7.5.
 */
import { canonicalJson, isJsonObject, type JsonObject, type JsonValue } from '../canonical-json.js';
import { sha256Hex } from '../bytes.js';
import { verifyStrict, type Verifier } from '../keys.js';
import {
  HEX64,
  hasExactKeys,
  isSafeInt,
  publicKeyHexFromSeed,
  signObject,
  verifyObjectSignature,
} from '../signed-object.js';
import { HEADER_KEYS, type EpochHeader } from './types.js';

export type VotePhase = 'prevote' | 'precommit';

export interface Vote extends JsonObject {
  type: 'vote';
  chain_id: string;
  epoch: number;
  view: number;
  phase: VotePhase;
  epoch_hash: string;
  validator: string;
  signature: string;
}

export interface Proposal extends JsonObject {
  type: 'proposal';
  chain_id: string;
  epoch: number;
  view: number;
  header: JsonObject;
  pol_view: number;
  pol: Vote[];
  proposer: string;
  signature: string;
}

export interface Certificate extends JsonObject {
  type: 'commit';
  chain_id: string;
  epoch: number;
  view: number;
  epoch_hash: string;
  header: JsonObject;
  precommits: Vote[];
}

export const VOTE_KEYS = ['type', 'chain_id', 'epoch', 'view', 'phase', 'epoch_hash', 'validator', 'signature'];
export const PROPOSAL_KEYS = [
  'type',
  'chain_id',
  'epoch',
  'view',
  'header',
  'pol_view',
  'pol',
  'proposer',
  'signature',
];
export const CERTIFICATE_KEYS = ['type', 'chain_id', 'epoch', 'view', 'epoch_hash', 'header', 'precommits'];

export function headerToJson(h: EpochHeader): JsonObject {
  return { ...h };
}

export function epochHashOf(header: JsonObject): string {
  return sha256Hex(canonicalJson(header));
}

export function signVote(
  v: { chainId: string; epoch: number; view: number; phase: VotePhase; epochHash: string },
  seed: Uint8Array,
): Vote {
  return signObject(
    {
      type: 'vote',
      chain_id: v.chainId,
      epoch: v.epoch,
      view: v.view,
      phase: v.phase,
      epoch_hash: v.epochHash,
      validator: publicKeyHexFromSeed(seed),
    },
    seed,
  ) as Vote;
}

export function signProposal(
  p: { chainId: string; epoch: number; view: number; header: EpochHeader | JsonObject; polView?: number; pol?: Vote[] },
  seed: Uint8Array,
): Proposal {
  return signObject(
    {
      type: 'proposal',
      chain_id: p.chainId,
      epoch: p.epoch,
      view: p.view,
      header: { ...p.header } as JsonObject,
      pol_view: p.polView ?? -1,
      pol: p.pol ?? [],
      proposer: publicKeyHexFromSeed(seed),
    },
    seed,
  ) as Proposal;
}

export function makeCertificate(c: {
  chainId: string;
  epoch: number;
  view: number;
  header: EpochHeader | JsonObject;
  precommits: Vote[];
}): Certificate {
  const header = { ...c.header } as JsonObject;
  return {
    type: 'commit',
    chain_id: c.chainId,
    epoch: c.epoch,
    view: c.view,
    epoch_hash: epochHashOf(header),
    header,
    precommits: c.precommits,
  };
}

/** Shape and signature of a vote (exact keys, lower-case hex, a known phase). */
export function verifyVote(v: JsonValue, verify: Verifier = verifyStrict): v is Vote {
  if (!isJsonObject(v) || !hasExactKeys(v, VOTE_KEYS)) return false;
  if (v.type !== 'vote' || typeof v.chain_id !== 'string') return false;
  if (!isSafeInt(v.epoch) || !isSafeInt(v.view) || v.view < 0) return false;
  if (v.phase !== 'prevote' && v.phase !== 'precommit') return false;
  if (typeof v.epoch_hash !== 'string' || !HEX64.test(v.epoch_hash)) return false;
  return verifyObjectSignature(v, 'validator', verify);
}

/** Shape and signature of a proposal; the POL votes are checked by the finality rules, not here. */
export function verifyProposal(p: JsonValue, verify: Verifier = verifyStrict): p is Proposal {
  if (!isJsonObject(p) || !hasExactKeys(p, PROPOSAL_KEYS)) return false;
  if (p.type !== 'proposal' || typeof p.chain_id !== 'string') return false;
  if (!isSafeInt(p.epoch) || !isSafeInt(p.view) || p.view < 0 || !isSafeInt(p.pol_view) || p.pol_view < -1) {
    return false;
  }
  if (!isJsonObject(p.header) || !Array.isArray(p.pol)) return false;
  return verifyObjectSignature(p, 'proposer', verify);
}

/** A header with exactly the seven keys of B.6.5 and well-formed values. */
export function isWellFormedHeader(h: JsonValue | undefined): h is JsonObject {
  if (!isJsonObject(h) || !hasExactKeys(h, HEADER_KEYS)) return false;
  if (typeof h.chain_id !== 'string' || !isSafeInt(h.epoch)) return false;
  for (const k of ['prev_hash', 'attestations_root', 'transfers_root', 'rewards_root', 'state_root'] as const) {
    const v = h[k];
    if (typeof v !== 'string' || !HEX64.test(v)) return false;
  }
  return true;
}

export interface CertificateContext {
  chainId: string;
  epoch: number;
  /** Epoch hash of E − 1, or the genesis hash for the first epoch. */
  prevHash: string;
  /** Validator public keys (hex) of the genesis. */
  validators: readonly string[];
  quorum: number;
  verify?: Verifier;
}

export type CertificateCheck = { ok: true; signers: string[] } | { ok: false; reason: string };

/** B.7.5: validity of a commit certificate for a node whose tip is (E − 1, prevHash). */
export function verifyCertificate(cert: JsonValue, ctx: CertificateContext): CertificateCheck {
  if (!isJsonObject(cert) || !hasExactKeys(cert, CERTIFICATE_KEYS)) return { ok: false, reason: 'certificate_keys' };
  if (cert.type !== 'commit') return { ok: false, reason: 'certificate_type' };
  if (cert.chain_id !== ctx.chainId) return { ok: false, reason: 'chain_id' };
  if (cert.epoch !== ctx.epoch) return { ok: false, reason: 'epoch' };
  if (!isSafeInt(cert.view) || cert.view < 0) return { ok: false, reason: 'view' };
  const header = cert.header;
  if (!isWellFormedHeader(header)) return { ok: false, reason: 'header_keys' };
  if (header.chain_id !== ctx.chainId || header.epoch !== ctx.epoch || header.prev_hash !== ctx.prevHash) {
    return { ok: false, reason: 'header_mismatch' };
  }
  if (typeof cert.epoch_hash !== 'string' || cert.epoch_hash !== epochHashOf(header)) {
    return { ok: false, reason: 'epoch_hash' };
  }
  if (!Array.isArray(cert.precommits)) return { ok: false, reason: 'precommits' };

  const validators = new Set(ctx.validators);
  const signers = new Set<string>();
  for (const p of cert.precommits) {
    // Entries failing these tests are ignored; they do not invalidate the certificate.
    if (!isJsonObject(p)) continue;
    if (p.phase !== 'precommit' || p.chain_id !== ctx.chainId || p.epoch !== ctx.epoch) continue;
    if (p.view !== cert.view || p.epoch_hash !== cert.epoch_hash) continue;
    if (typeof p.validator !== 'string' || !validators.has(p.validator) || signers.has(p.validator)) continue;
    if (!verifyVote(p, ctx.verify ?? verifyStrict)) continue;
    signers.add(p.validator);
  }
  if (signers.size < ctx.quorum) return { ok: false, reason: 'quorum' };
  return { ok: true, signers: [...signers] };
}
