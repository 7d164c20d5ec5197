/**
 * Attestations and enrollment (PROTOCOL.md A.6, A.7, B.3, D.5): signed texts, identity and nonce
 * rules, the normal form and id, and the stateless part of `POST /attest/submit` (A.6.5 rows 1–16a)
 * and `POST /epoch/enroll`. Rows that need node state (16b, 17 and later) are the node's; the
 * `attestationError` builder gives them the same body shape.
 */
import {
  canonicalBytes,
  canonicalJson,
  isFloatValue,
  isIntValue,
  isJsonObject,
  spacedJson,
  type JsonObject,
  type JsonValue,
} from './canonical-json.js';
import { bytesToHex, hexToBytes, sha256Hex, utf8 } from './bytes.js';
import { addressFromPublicKey, RTC_ADDRESS, RTC_ADDRESS_FORMAT, verifyStrict, type Verifier } from './keys.js';
import { asciiTrim } from './fingerprint/text-rules.js';

export const MAX_ATTESTATION_BYTES = 65_536;
export const MINER_ID_FORMAT = /^[A-Za-z0-9._:-]{1,128}$/;
const SOLANA_LIKE = /^[1-9A-HJ-NP-Za-km-z]{32,44}$/;
const HEX_CHARS = /^(?:[0-9a-f]{2})*$/;
const SIGNED_OUT_KEYS = new Set(['signature', 'public_key', 'signature_type']);
const CANONICAL_TYPES = new Set(['canonical_json', 'ed25519']);

function own(obj: JsonObject, key: string): JsonValue | undefined {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

function given(v: JsonValue | undefined): v is Exclude<JsonValue, null> {
  return v !== undefined && v !== null;
}

// ---------------------------------------------------------------------------------------------
// Signed texts (A.6.3, A.7, D.5)
// ---------------------------------------------------------------------------------------------

/** The body without the three unsigned keys. */
function signedPart(body: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const k of Object.keys(body)) {
    if (!SIGNED_OUT_KEYS.has(k))
      Object.defineProperty(out, k, { value: body[k], enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Rule 1 (canonical): the canonical JSON of the body minus signature, public_key, signature_type. */
export function attestationSigningText(body: JsonObject): string {
  return canonicalJson(signedPart(body));
}

export function attestationSigningMessage(body: JsonObject): Uint8Array {
  return canonicalBytes(signedPart(body));
}

/** Rule 2 (pipe): `<miner_id>|<miner>|<nonce>|<commitment>`. */
export function pipeSigningText(body: JsonObject): string {
  const miner = trimmedString(own(body, 'miner')) || (attestationIdentity(body) ?? '');
  const minerIdRaw = trimmedString(own(body, 'miner_id'));
  const minerId = MINER_ID_FORMAT.test(minerIdRaw) ? minerIdRaw : miner;
  const report = own(body, 'report');
  const commitment = isJsonObject(report) ? own(report, 'commitment') : undefined;
  return `${minerId}|${miner}|${attestationNonce(body) ?? ''}|${typeof commitment === 'string' ? commitment : ''}`;
}

export function pipeSigningMessage(body: JsonObject): Uint8Array {
  return utf8(pipeSigningText(body));
}

/** A.7: `<miner_pubkey>|<miner_id>|<epoch>`, miner_id defaulting to miner_pubkey. */
export function enrollmentText(
  minerPubkey: string,
  minerId: string | null | undefined,
  epoch: number | bigint,
): string {
  return `${minerPubkey}|${minerId || minerPubkey}|${epoch.toString()}`;
}

export function enrollmentMessage(
  minerPubkey: string,
  minerId: string | null | undefined,
  epoch: number | bigint,
): Uint8Array {
  return utf8(enrollmentText(minerPubkey, minerId, epoch));
}

/** D.5 / A.6.2: SHA-256 hex of UTF-8(nonce + miner + spaced_json(derived)). */
export function reportCommitment(nonce: string, miner: string, derived: JsonValue): string {
  return sha256Hex(utf8(nonce + miner + spacedJson(derived)));
}

/** `1000 + (int(nonce[0:4], 16) mod 1000)`; null when the nonce does not start with 4 hex digits. */
export function measurementWorkload(nonce: string): number | null {
  const head = nonce.slice(0, 4);
  if (!/^[0-9A-Fa-f]{4}$/.test(head)) return null;
  return 1000 + (parseInt(head, 16) % 1000);
}

// ---------------------------------------------------------------------------------------------
// Identity, nonce, epoch (B.3, A.6.1)
// ---------------------------------------------------------------------------------------------

function trimmedString(v: JsonValue | undefined): string {
  return typeof v === 'string' ? asciiTrim(v) : '';
}

/** `miner` if non-empty after trimming, else `miner_id`; trimmed; null when neither. */
export function attestationIdentity(body: JsonObject): string | null {
  return trimmedString(own(body, 'miner')) || trimmedString(own(body, 'miner_id')) || null;
}

/** `report.nonce` if a non-empty string, else `nonce` if a non-empty string, else null. */
export function attestationNonce(body: JsonObject): string | null {
  const report = own(body, 'report');
  const inner = isJsonObject(report) ? own(report, 'nonce') : undefined;
  if (typeof inner === 'string' && inner !== '') return inner;
  const outer = own(body, 'nonce');
  return typeof outer === 'string' && outer !== '' ? outer : null;
}

/** The slot a nonce of our node encodes (its first 16 hex digits). Throws on a malformed nonce. */
export function nonceSlot(nonce: string): bigint {
  const head = nonce.slice(0, 16);
  if (!/^[0-9A-Fa-f]{16}$/.test(head)) throw new RangeError('the nonce does not start with 16 hex digits');
  return BigInt('0x' + head);
}

export function attestationEpoch(nonce: string, epochSlots: number | bigint): bigint {
  return nonceSlot(nonce) / BigInt(epochSlots); // slots are never negative: truncation is floor
}

const MAX_U64 = 2n ** 64n - 1n;

/** A.6.1: 16 hex digits of the slot (big-endian u64) then the 24 random bytes as 48 hex digits. */
export function makeChallengeNonce(slot: number | bigint, random24: Uint8Array): string {
  const s = BigInt(slot);
  if (s < 0n || s > MAX_U64) throw new RangeError('a nonce slot is an unsigned 64-bit integer');
  if (random24.length !== 24) throw new RangeError('a nonce needs exactly 24 random bytes');
  return s.toString(16).padStart(16, '0') + bytesToHex(random24);
}

/** B.3 normal form: lower-case trimmed key and signature, `signature_type` "canonical_json". */
export function normaliseAttestation(body: JsonObject): JsonObject {
  const out = signedPart(body);
  out.public_key = trimmedString(own(body, 'public_key')).toLowerCase();
  out.signature = trimmedString(own(body, 'signature')).toLowerCase();
  out.signature_type = 'canonical_json';
  return out;
}

/** SHA-256 hex of the canonical JSON of the whole normalised object. */
export function attestationId(normalised: JsonObject): string {
  return sha256Hex(canonicalBytes(normalised));
}

// ---------------------------------------------------------------------------------------------
// A.6.5 rows 1–16a
// ---------------------------------------------------------------------------------------------

export type AttestationRefusal = { ok: false; status: number; body: JsonObject };

export interface CheckedAttestation {
  body: JsonObject;
  identity: string;
  nonce: string | null;
  publicKey: string;
  signature: string;
  scheme: 'canonical' | 'pipe';
  /** The B.3 normal form (pooled only when `scheme` is canonical). */
  normalised: JsonObject;
  id: string;
}

/** `{"ok":false,"error":<lower code>,"message":…,"code":<CODE>}`, the A.6.5 error shape. */
export function attestationError(
  status: number,
  code: string,
  message: string,
  error = code.toLowerCase(),
): AttestationRefusal {
  return { ok: false, status, body: { ok: false, error, message, code } };
}

const DEVICE_STRING_FIELDS = [
  'family',
  'device_family',
  'arch',
  'device_arch',
  'model',
  'device_model',
  'cpu',
  'serial',
  'serial_number',
];
const METRICS: Array<[string, string]> = [
  ['clock_drift', 'cv'],
  ['clock_drift', 'samples'],
  ['thermal_drift', 'variance'],
  ['thermal_entropy', 'variance'],
  ['instruction_jitter', 'cv'],
  ['instruction_jitter', 'stddev_ns'],
  ['cache_timing', 'hierarchy_ratio'],
];
const NUMERIC_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

function isMetricValue(v: JsonValue): boolean {
  if (v === null || v === '') return true;
  if (isIntValue(v)) return true;
  if (isFloatValue(v)) return true; // parsed floats are finite by construction
  if (typeof v === 'string') {
    const t = asciiTrim(v);
    return NUMERIC_TEXT.test(t) && Number.isFinite(Number(t));
  }
  return false;
}

function isValidCores(v: JsonValue): boolean {
  let n: number;
  if (typeof v === 'bigint') return false; // far outside 1…4096
  if (isIntValue(v)) n = v;
  else if (isFloatValue(v)) n = typeof v === 'number' ? v : v.value;
  else return false;
  return Number.isInteger(n) && n >= 1 && n <= 4096;
}

/** Rows 3 and 3a for one of `miner` / `miner_id`; null when fine or absent. */
function minerFieldError(v: JsonValue | undefined): AttestationRefusal | null {
  if (!given(v)) return null;
  if (typeof v !== 'string') return attestationError(400, 'INVALID_MINER', 'miner must be a string');
  const t = asciiTrim(v);
  if (t === '') return null;
  if (SOLANA_LIKE.test(t) && !t.startsWith('RTC')) {
    return attestationError(400, 'INVALID_MINER_WALLET_FORMAT', 'a Solana address is not a RustChain miner id');
  }
  if (!MINER_ID_FORMAT.test(t))
    return attestationError(400, 'INVALID_MINER', 'miner id must match [A-Za-z0-9._:-]{1,128}');
  return null;
}

/** Rows 1–13 and 3a: the shape of a submit body (also a body-validity rule of B.3). Null when fine. */
export function attestationShapeError(body: JsonValue): AttestationRefusal | null {
  // 1
  if (!isJsonObject(body)) return attestationError(400, 'INVALID_JSON_OBJECT', 'request body must be a JSON object');
  // 2
  for (const [key, code] of [
    ['device', 'INVALID_DEVICE'],
    ['signals', 'INVALID_SIGNALS'],
    ['report', 'INVALID_REPORT'],
    ['fingerprint', 'INVALID_FINGERPRINT'],
  ] as const) {
    const v = own(body, key);
    if (given(v) && !isJsonObject(v)) return attestationError(400, code, `${key} must be a JSON object`);
  }
  // 3, 3a
  const minerError = minerFieldError(own(body, 'miner')) ?? minerFieldError(own(body, 'miner_id'));
  if (minerError) return minerError;
  const identity = attestationIdentity(body);
  if (identity !== null && RTC_ADDRESS_FORMAT.test(identity) && !RTC_ADDRESS.test(identity)) {
    return attestationError(400, 'INVALID_MINER', 'use the lower-case address as the miner id');
  }
  // 4
  if (given(own(body, 'signature')) && typeof own(body, 'signature') !== 'string') {
    return attestationError(400, 'INVALID_SIGNATURE_TYPE', 'signature must be a hex string');
  }
  if (given(own(body, 'public_key')) && typeof own(body, 'public_key') !== 'string') {
    return attestationError(400, 'INVALID_PUBLIC_KEY_TYPE', 'public_key must be a hex string');
  }
  // 5
  if (identity === null) {
    const nothing = [own(body, 'miner'), own(body, 'miner_id')].every((v) => v === undefined || v === null || v === '');
    return nothing
      ? attestationError(400, 'MISSING_MINER', 'miner or miner_id is required')
      : attestationError(400, 'INVALID_MINER', 'miner id is empty');
  }
  const device = own(body, 'device');
  const signals = own(body, 'signals');
  const report = own(body, 'report');
  const fingerprint = own(body, 'fingerprint');
  // 6, 7
  if (isJsonObject(device)) {
    const cores = own(device, 'cores');
    if (given(cores) && !isValidCores(cores)) {
      return attestationError(422, 'INVALID_DEVICE_CORES', 'device.cores must be an integer in 1…4096');
    }
    for (const f of DEVICE_STRING_FIELDS) {
      const v = own(device, f);
      if (given(v) && typeof v !== 'string')
        return attestationError(400, 'INVALID_DEVICE', `device.${f} must be a string`);
    }
  }
  // 8
  if (isJsonObject(signals)) {
    const macs = own(signals, 'macs');
    if (given(macs) && !(Array.isArray(macs) && macs.every((m) => typeof m === 'string' && m !== ''))) {
      return attestationError(400, 'INVALID_SIGNALS_MACS', 'signals.macs must be an array of non-empty strings');
    }
    for (const f of ['hostname', 'serial']) {
      const v = own(signals, f);
      if (given(v) && typeof v !== 'string')
        return attestationError(400, 'INVALID_SIGNALS', `signals.${f} must be a string`);
    }
  }
  // 9
  if (isJsonObject(report)) {
    for (const f of ['nonce', 'commitment']) {
      const v = own(report, f);
      if (given(v) && typeof v !== 'string')
        return attestationError(400, 'INVALID_REPORT', `report.${f} must be a string`);
    }
  }
  // 10, 11
  const checks = isJsonObject(fingerprint) ? own(fingerprint, 'checks') : undefined;
  if (given(checks) && !isJsonObject(checks)) {
    return attestationError(400, 'INVALID_FINGERPRINT_CHECKS', 'fingerprint.checks must be a JSON object');
  }
  if (isJsonObject(checks)) {
    for (const [check, field] of METRICS) {
      const entry = own(checks, check);
      const data = isJsonObject(entry) ? own(entry, 'data') : undefined;
      const v = isJsonObject(data) ? own(data, field) : undefined;
      if (v !== undefined && !isMetricValue(v)) {
        return attestationError(422, 'INVALID_FINGERPRINT_METRIC', `${check}.data.${field} must be a finite number`);
      }
    }
  }
  // 12, 13
  if (!isJsonObject(device) || Object.keys(device).length === 0) {
    return attestationError(422, 'MISSING_DEVICE', 'device is required');
  }
  if (!isJsonObject(signals) || Object.keys(signals).length === 0) {
    return attestationError(422, 'MISSING_SIGNALS', 'signals is required');
  }
  if (!isJsonObject(checks) || Object.keys(checks).length === 0) {
    return attestationError(422, 'MISSING_FINGERPRINT', 'fingerprint.checks is required');
  }
  // 13a
  if (canonicalJson(body).length > MAX_ATTESTATION_BYTES) {
    return attestationError(
      413,
      'ATTESTATION_TOO_LARGE',
      `an attestation is at most ${MAX_ATTESTATION_BYTES} bytes of canonical JSON`,
    );
  }
  return null;
}

function hexBytes(hex: string): Uint8Array | null {
  return HEX_CHARS.test(hex) ? hexToBytes(hex) : null;
}

/** A.6.5 rows 1–16a. The node then applies 16b and 17+ (pins, rate limits, nonces, hardware). */
export function checkAttestationRequest(
  body: JsonValue,
  opts: { verify?: Verifier } = {},
): { ok: true; att: CheckedAttestation } | AttestationRefusal {
  const shape = attestationShapeError(body);
  if (shape) return shape;
  const b = body as JsonObject;
  const identity = attestationIdentity(b) as string;
  // 14, 14a
  const signature = trimmedString(own(b, 'signature')).toLowerCase();
  const publicKey = trimmedString(own(b, 'public_key')).toLowerCase();
  if ((signature === '') !== (publicKey === '')) {
    return attestationError(400, 'INCOMPLETE_SIGNATURE', 'signature and public_key go together');
  }
  if (signature === '') return attestationError(400, 'MISSING_SIGNATURE', 'attestations must be signed');
  // 15
  const type = own(b, 'signature_type');
  if (given(type) && typeof type !== 'string') {
    return attestationError(400, 'INVALID_SIGNATURE_TYPE_FIELD', 'signature_type must be a string');
  }
  // 16
  const verify = opts.verify ?? verifyStrict;
  const sig = hexBytes(signature);
  const pub = hexBytes(publicKey);
  let scheme: 'canonical' | 'pipe' | null = null;
  if (sig !== null && pub !== null) {
    const typeText = typeof type === 'string' ? type : '';
    if ((typeText === '' || CANONICAL_TYPES.has(typeText)) && verify(sig, attestationSigningMessage(b), pub)) {
      scheme = 'canonical';
    } else if (!CANONICAL_TYPES.has(typeText) && verify(sig, pipeSigningMessage(b), pub)) {
      scheme = 'pipe';
    }
  }
  if (scheme === null || pub === null) {
    return attestationError(
      400,
      'INVALID_SIGNATURE',
      'attestation signature does not verify',
      'invalid_attestation_signature',
    );
  }
  // 16a
  if (RTC_ADDRESS.test(identity) && addressFromPublicKey(pub) !== identity) {
    return attestationError(400, 'PUBKEY_ADDRESS_MISMATCH', 'an RTC miner must sign with the key of that address');
  }
  const normalised = normaliseAttestation(b);
  return {
    ok: true,
    att: {
      body: b,
      identity,
      nonce: attestationNonce(b),
      publicKey,
      signature,
      scheme,
      normalised,
      id: attestationId(normalised),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// A.7 enrollment, stateless rows
// ---------------------------------------------------------------------------------------------

export interface EnrollRequest {
  minerPubkey: string;
  /** The signed miner id (defaults to miner_pubkey). */
  minerId: string;
  publicKey: string;
  signature: string;
}

export function checkEnrollRequest(body: JsonValue): { ok: true; enroll: EnrollRequest } | AttestationRefusal {
  if (!isJsonObject(body)) return { ok: false, status: 400, body: { error: 'Invalid JSON body' } };
  const minerPubkey = own(body, 'miner_pubkey');
  if (typeof minerPubkey !== 'string' || minerPubkey === '') {
    return { ok: false, status: 400, body: { error: 'Missing miner_pubkey' } };
  }
  const sigRaw = own(body, 'signature');
  const pubRaw = own(body, 'public_key');
  if (given(sigRaw) && typeof sigRaw !== 'string') {
    return attestationError(400, 'INVALID_SIGNATURE_TYPE', 'signature must be a hex string');
  }
  if (given(pubRaw) && typeof pubRaw !== 'string') {
    return attestationError(400, 'INVALID_PUBLIC_KEY_TYPE', 'public_key must be a hex string');
  }
  const signature = trimmedString(sigRaw).toLowerCase();
  const publicKey = trimmedString(pubRaw).toLowerCase();
  if (signature === '' && publicKey === '') {
    return attestationError(401, 'SIGNED_ENROLLMENT_REQUIRED', 'enrollment must be signed with the attestation key');
  }
  if (signature === '' || publicKey === '') {
    return attestationError(400, 'INCOMPLETE_SIGNATURE', 'signature and public_key go together');
  }
  const minerId = own(body, 'miner_id');
  return {
    ok: true,
    enroll: {
      minerPubkey,
      minerId: typeof minerId === 'string' && minerId !== '' ? minerId : minerPubkey,
      publicKey,
      signature,
    },
  };
}

/** Whether the enrollment signature covers `epoch` (our node tries E, then E − 1). */
export function verifyEnrollment(e: EnrollRequest, epoch: number | bigint, verify: Verifier = verifyStrict): boolean {
  const sig = hexBytes(e.signature);
  const pub = hexBytes(e.publicKey);
  return sig !== null && pub !== null && verify(sig, enrollmentMessage(e.minerPubkey, e.minerId, epoch), pub);
}
