/**
 * Validity of an epoch body (PROTOCOL.md B.6.1 with the per-object rules of B.3 and B.4). Any failure
 * makes the whole proposal invalid; the first failure found is reported with the rule it breaks.
 * The single-object rules come from `attestation.ts` (A.6.5 shape rows, normal form helpers, ids) and
 * `transfer.ts` (the B.4 transfer object); this module adds what only a whole body can decide.
 */
import { canonicalJson, isIntValue, isJsonObject, type JsonObject, type JsonValue } from '../canonical-json.js';
import { hexToBytes, sha256Hex } from '../bytes.js';
import { compareByteOrder } from '../byte-order.js';
import { addressFromPublicKeyHex, RTC_ADDRESS, verifyStrict, type Verifier } from '../keys.js';
import {
  attestationId,
  attestationIdentity,
  attestationNonce,
  attestationSigningMessage,
  attestationShapeError,
  nonceSlot,
} from '../attestation.js';
import { validateTransferObject } from '../transfer.js';
import { validateFingerprint } from '../fingerprint/rules.js';
import { hardwareId, hardwareIdInput, hasHardwareIdentity } from '../fingerprint/hardware-id.js';
import type { ChainState } from './state.js';
import type { BodyAttestation, BodyTransfer, EpochBody } from './types.js';

export const MAX_BODY_BYTES = 12 * 1024 * 1024;
export const MAX_ATTESTATION_BYTES = 65_536;
export const MAX_TRANSFER_BYTES = 16_384;
export const BODY_KEYS = ['attestations', 'epoch', 'transfers'];

export type BodyRule =
  | 'body_not_object'
  | 'body_keys'
  | 'body_epoch'
  | 'body_too_large'
  | 'attestation_not_object'
  | 'attestation_too_large'
  | 'attestation_request'
  | 'attestation_not_normal_form'
  | 'attestation_signature'
  | 'attestation_identity'
  | 'attestation_nonce'
  | 'attestation_wrong_epoch'
  | 'attestation_duplicate_miner'
  | 'attestation_no_hardware_identity'
  | 'attestation_order'
  | 'transfer_invalid'
  | 'transfer_duplicate'
  | 'transfer_committed'
  | 'transfer_order';

export type BodyCheck = { ok: true; body: EpochBody } | { ok: false; rule: BodyRule; index?: number; message: string };

export interface BodyContext {
  chainId: string;
  epoch: number;
  epochSlots: number;
  /** Committed state after E − 1: supplies the identity pins. */
  state: ChainState;
  /** Whether a tx_id was committed in an earlier epoch. */
  isCommittedTxId: (txId: string) => boolean;
  verify?: Verifier;
  /** Skip the 12 MiB check when the caller already measured the received text. */
  knownSizeBytes?: number;
}

const HEX64 = /^[0-9a-f]{64}$/;
const HEX128 = /^[0-9a-f]{128}$/;

class BodyError extends Error {
  constructor(
    readonly rule: BodyRule,
    message: string,
    readonly index?: number,
  ) {
    super(message);
  }
}

function fail(rule: BodyRule, message: string, index?: number): never {
  throw new BodyError(rule, message, index);
}

export function validateBody(value: JsonValue, ctx: BodyContext): BodyCheck {
  try {
    return { ok: true, body: checkBody(value, ctx) };
  } catch (e) {
    if (e instanceof BodyError) {
      return e.index === undefined
        ? { ok: false, rule: e.rule, message: e.message }
        : { ok: false, rule: e.rule, index: e.index, message: e.message };
    }
    throw e;
  }
}

function checkBody(value: JsonValue, ctx: BodyContext): EpochBody {
  if (!isJsonObject(value)) fail('body_not_object', 'a body is a JSON object');
  const keys = Object.keys(value);
  if (keys.length !== 3 || !BODY_KEYS.every((k) => Object.prototype.hasOwnProperty.call(value, k))) {
    fail('body_keys', 'a body has exactly the keys attestations, epoch, transfers');
  }
  const epoch = value.epoch;
  if (!isIntValue(epoch) || Number(epoch) !== ctx.epoch) {
    fail('body_epoch', `epoch must be the JSON integer ${ctx.epoch}`);
  }
  if (!Array.isArray(value.attestations) || !Array.isArray(value.transfers)) {
    fail('body_keys', 'attestations and transfers are arrays');
  }
  const size = ctx.knownSizeBytes ?? canonicalJson(value).length;
  if (size > MAX_BODY_BYTES) fail('body_too_large', `body exceeds ${MAX_BODY_BYTES} bytes`);

  const verify = ctx.verify ?? verifyStrict;
  const attestations = value.attestations.map((a, i) => checkAttestation(a, i, ctx, verify));
  const seenMiners = new Set<string>();
  for (let i = 0; i < attestations.length; i++) {
    const a = attestations[i] as BodyAttestation;
    if (seenMiners.has(a.miner)) fail('attestation_duplicate_miner', `miner ${a.miner} appears twice`, i);
    seenMiners.add(a.miner);
    const prev = attestations[i - 1];
    if (prev !== undefined && compareAttestations(prev, a) >= 0) {
      fail('attestation_order', 'attestations are not in (nonce_slot, id) order', i);
    }
  }

  const transfers = value.transfers.map((t, i) => checkTransfer(t, i, ctx, verify));
  const seenTx = new Set<string>();
  for (let i = 0; i < transfers.length; i++) {
    const t = transfers[i] as BodyTransfer;
    if (seenTx.has(t.txId)) fail('transfer_duplicate', `tx_id ${t.txId} appears twice`, i);
    seenTx.add(t.txId);
    if (ctx.isCommittedTxId(t.txId)) fail('transfer_committed', `tx_id ${t.txId} was committed earlier`, i);
    const prev = transfers[i - 1];
    if (prev !== undefined && compareTransfers(prev, t) >= 0) {
      fail('transfer_order', 'transfers are not in (from, nonce, tx_id) order', i);
    }
  }
  return { epoch: ctx.epoch, attestations, transfers };
}

export function compareAttestations(a: BodyAttestation, b: BodyAttestation): number {
  if (a.nonceSlot !== b.nonceSlot) return a.nonceSlot < b.nonceSlot ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function compareTransfers(a: BodyTransfer, b: BodyTransfer): number {
  const byFrom = compareByteOrder(a.from, b.from);
  if (byFrom !== 0) return byFrom;
  if (a.nonce !== b.nonce) return a.nonce < b.nonce ? -1 : 1;
  return a.txId < b.txId ? -1 : a.txId > b.txId ? 1 : 0;
}

function checkAttestation(value: JsonValue, i: number, ctx: BodyContext, verify: Verifier): BodyAttestation {
  if (!isJsonObject(value)) fail('attestation_not_object', 'an attestation is a JSON object', i);
  if (canonicalJson(value).length > MAX_ATTESTATION_BYTES) {
    fail('attestation_too_large', `attestation exceeds ${MAX_ATTESTATION_BYTES} bytes`, i);
  }
  const shape = attestationShapeError(value);
  if (shape !== null) fail('attestation_request', `attestation refused by A.6.5: ${describe(shape)}`, i);

  const publicKey = value.public_key;
  const signature = value.signature;
  if (
    value.signature_type !== 'canonical_json' ||
    typeof publicKey !== 'string' ||
    !HEX64.test(publicKey) ||
    typeof signature !== 'string' ||
    !HEX128.test(signature)
  ) {
    fail('attestation_not_normal_form', 'attestation is not in normal form', i);
  }
  if (!verify(hexToBytes(signature), attestationSigningMessage(value), hexToBytes(publicKey))) {
    fail('attestation_signature', 'attestation signature does not verify under the canonical scheme', i);
  }

  const miner = attestationIdentity(value);
  if (miner === null) fail('attestation_request', 'attestation has no identity', i);
  if (RTC_ADDRESS.test(miner)) {
    if (addressFromPublicKeyHex(publicKey) !== miner) fail('attestation_identity', 'key does not derive to miner', i);
  } else {
    const pin = ctx.state.pins.get(miner);
    if (pin !== undefined && pin !== publicKey) fail('attestation_identity', 'key differs from the pinned key', i);
  }

  const nonce = attestationNonce(value);
  if (nonce === null || !HEX64.test(nonce)) fail('attestation_nonce', 'nonce is not 64 lower-case hex digits', i);
  const slot = BigInt(nonceSlot(nonce));
  if (slot / BigInt(ctx.epochSlots) !== BigInt(ctx.epoch)) {
    fail('attestation_wrong_epoch', "the nonce's epoch is not the body's epoch", i);
  }

  const verdict = validateFingerprint({ device: value.device, signals: value.signals, fingerprint: value.fingerprint });
  const hwInput = hardwareIdInput(verdict.deviceArch, value.device, value.signals);
  if (!hasHardwareIdentity(hwInput)) fail('attestation_no_hardware_identity', 'no serial and no valid MAC', i);

  return {
    object: value,
    id: attestationId(value),
    miner,
    publicKey,
    nonceSlot: slot,
    verdict,
    hardwareId: hardwareId(hwInput),
    fingerprintHash: sha256Hex(canonicalJson(value.fingerprint ?? null)),
  };
}

function checkTransfer(value: JsonValue, i: number, ctx: BodyContext, verify: Verifier): BodyTransfer {
  if (!isJsonObject(value)) fail('transfer_invalid', 'a transfer is a JSON object', i);
  if (canonicalJson(value).length > MAX_TRANSFER_BYTES) {
    fail('transfer_invalid', `transfer exceeds ${MAX_TRANSFER_BYTES} bytes`, i);
  }
  const r = validateTransferObject(value, ctx.chainId, verify);
  if (!r.ok) fail('transfer_invalid', `transfer refused by B.4: ${describe(r)}`, i);
  return {
    object: value as JsonObject,
    txId: r.transfer.txId,
    from: r.transfer.from,
    to: r.transfer.to,
    amountI64: r.transfer.amountI64,
    nonce: r.transfer.nonce,
  };
}

function describe(x: unknown): string {
  if (typeof x === 'object' && x !== null) {
    const o = x as Record<string, unknown>;
    for (const k of ['code', 'reason', 'error', 'message']) if (typeof o[k] === 'string') return o[k] as string;
  }
  return String(x);
}
