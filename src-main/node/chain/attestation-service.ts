/**
 * Attestation endpoints (A.6, A.7, B.3): challenges, submissions (A.6.5 rows 16b–23 after the
 * protocol's rows 1–16a) and the read-only enrollment report of `/epoch/enroll`.
 */
import { randomBytes } from 'node:crypto';
import { isJsonObject, PyFloat, type JsonObject, type JsonValue } from '../../protocol/canonical-json.js';
import {
  attestationError,
  checkAttestationRequest,
  checkEnrollRequest,
  makeChallengeNonce,
  MINER_ID_FORMAT,
  measurementWorkload,
  nonceSlot,
  verifyEnrollment,
} from '../../protocol/attestation.js';
import {
  hardwareIdInput,
  hasHardwareIdentity,
  normaliseCores,
  normaliseMacs,
} from '../../protocol/fingerprint/hardware-id.js';
import { asciiTrim } from '../../protocol/fingerprint/text-rules.js';
import { tableWeightUnits, unitsToWeight } from '../../protocol/fingerprint/weights.js';
import { addressFromPublicKeyHex, RTC_ADDRESS } from '../../protocol/keys.js';
import { BINDING_LAPSE_EPOCHS } from '../../protocol/epoch/execute.js';
import { canonicalJson } from '../../protocol/canonical-json.js';
import { bodyAttestationOf } from './attestation-pool.js';
import type { Chain } from './chain.js';
import { chainNotStarted, type Reply } from './replies.js';

export const CHALLENGE_TTL_SECONDS = 300;
export const ENROLL_ATTESTATION_TTL_SECONDS = 600;
const SOLANA_LIKE = /^[1-9A-HJ-NP-Za-km-z]{32,44}$/;

/** Row 17: the IP accounting of distinct miners; absent when rate limits are off. */
export interface MinerIpLimiter {
  allow(ip: string, miner: string, now: number): boolean;
}

export function issueChallenge(chain: Chain, body: JsonValue | undefined): Reply {
  let bound: string | null = null;
  if (body !== undefined) {
    if (!isJsonObject(body)) {
      return {
        status: 400,
        body: {
          ok: false,
          error: 'invalid_json_object',
          code: 'INVALID_JSON_OBJECT',
          message: 'request body must be empty or a JSON object',
        },
      };
    }
    const raw = typeof body.miner === 'string' && body.miner !== '' ? body.miner : body.miner_id;
    if (typeof raw === 'string') {
      const id = asciiTrim(raw);
      if (SOLANA_LIKE.test(id) && !id.startsWith('RTC')) {
        return attestationError(400, 'INVALID_MINER_WALLET_FORMAT', 'a Solana address is not a RustChain miner id');
      }
      if (MINER_ID_FORMAT.test(id)) bound = id;
    }
  }
  const now = chain.now();
  if (!chain.schedule.started(now)) return chainNotStarted();
  const nonce = makeChallengeNonce(chain.schedule.slotAt(now), randomBytes(24));
  const t = Math.floor(now);
  const expiresAt = t + CHALLENGE_TTL_SECONDS;
  chain.stores.attestations.addChallenge(nonce, bound, expiresAt);
  return { status: 200, body: { nonce, expires_at: expiresAt, bound_miner: bound, server_time: t } };
}

function normalisedDevice(device: JsonValue | undefined): JsonObject {
  const out: JsonObject = { cores: normaliseCores(device) };
  if (!isJsonObject(device)) return out;
  for (const k of [
    'device_family',
    'family',
    'device_arch',
    'arch',
    'device_model',
    'model',
    'cpu',
    'serial_number',
    'serial',
  ]) {
    const v = device[k];
    if (typeof v === 'string' && asciiTrim(v) !== '') out[k] = asciiTrim(v);
  }
  return out;
}

function bindingState(body: JsonObject, nonce: string, workload: number | null): string {
  const mb = body.measurement_binding;
  if (mb === undefined || mb === null) return 'absent';
  if (!isJsonObject(mb)) return 'mismatch';
  const duration = mb.duration_ns;
  const durationOk =
    (typeof duration === 'number' && duration > 0) ||
    (typeof duration === 'bigint' && duration > 0n) ||
    (duration instanceof PyFloat && duration.value > 0);
  const iterations = mb.iterations;
  const iterationsOk = typeof iterations === 'number' && workload !== null && iterations === workload;
  return mb.nonce === nonce && iterationsOk && durationOk ? 'bound' : 'mismatch';
}

function entropyScore(body: JsonObject): number {
  const report = body.report;
  if (!isJsonObject(report)) return 0;
  const v = report.entropy_score;
  if (typeof v === 'number') return v;
  if (v instanceof PyFloat) return v.value;
  return 0;
}

function checksOf(fingerprint: JsonValue | undefined): { names: string[]; passed: number } {
  const checks = isJsonObject(fingerprint) ? fingerprint.checks : undefined;
  if (!isJsonObject(checks)) return { names: [], passed: 0 };
  const names = Object.keys(checks).sort();
  let passed = 0;
  for (const n of names) {
    const c = checks[n];
    if (c === true || (isJsonObject(c) && c.passed === true)) passed++;
  }
  return { names, passed };
}

export function submitAttestation(chain: Chain, body: JsonValue, ip: string, limiter: MinerIpLimiter | null): Reply {
  const checked = checkAttestationRequest(body, { verify: chain.verify });
  if (!checked.ok) return { status: checked.status, body: checked.body };
  const att = checked.att;
  const identity = att.identity;
  const now = chain.now();
  // 16b
  if (!RTC_ADDRESS.test(identity)) {
    const pin = chain.state.pins.get(identity);
    if (pin !== undefined && pin !== att.publicKey) {
      return attestationError(400, 'SIGNING_KEY_MISMATCH', 'this miner id is pinned to another public key');
    }
  }
  // 17
  if (limiter && !limiter.allow(ip, identity, now)) {
    return attestationError(429, 'IP_RATE_LIMIT', 'too many distinct miners from this address in the last hour');
  }
  // Rows 18–23 in one transaction: the consumed nonce and the pooled attestation are one commit.
  const out = challengedTransaction(chain)(chain, att, now);
  // Announced only once committed.
  if (out.event) chain.emit('attestation', out.event);
  return out.reply;
}

interface AttestationEvent {
  miner: string;
  epoch: number;
  candidate: boolean;
  passed: boolean;
}

type CheckedAttestation = Extract<ReturnType<typeof checkAttestationRequest>, { ok: true }>['att'];

/** better-sqlite3 builds a wrapper per `transaction()` call: one per database, reused. */
const challengedTransactions = new WeakMap<object, typeof submitChallenged>();
function challengedTransaction(chain: Chain): typeof submitChallenged {
  let tx = challengedTransactions.get(chain.stores.db);
  if (!tx) {
    tx = chain.stores.db.transaction(submitChallenged);
    challengedTransactions.set(chain.stores.db, tx);
  }
  return tx;
}

/** Rows 18–23, inside the transaction that consumes the nonce. */
function submitChallenged(
  chain: Chain,
  att: CheckedAttestation,
  now: number,
): { reply: Reply; event?: AttestationEvent } {
  const refuse = (reply: Reply) => ({ reply });
  const identity = att.identity;
  // 18
  const nonce = att.nonce;
  if (nonce === null)
    return refuse(attestationError(400, 'MISSING_NONCE', 'the attestation carries no challenge nonce'));
  // 19
  const store = chain.stores.attestations;
  const challenge = store.challenge(nonce);
  let epoch = 0;
  if (challenge) epoch = chain.schedule.epochOfSlot(Number(nonceSlot(nonce)));
  if (!challenge || challenge.expires_at < Math.floor(now) || chain.isEpochClosed(epoch, now)) {
    return refuse(attestationError(409, 'CHALLENGE_INVALID', 'unknown, expired or closed challenge nonce'));
  }
  if (challenge.used) return refuse(attestationError(409, 'NONCE_REPLAY', 'this challenge nonce was already used'));
  // 20 (the nonce is not consumed)
  if (challenge.bound_miner !== null && challenge.bound_miner !== identity) {
    return refuse(attestationError(403, 'NONCE_IDENTITY_MISMATCH', 'this nonce was issued to another miner'));
  }
  if (!store.consumeChallenge(nonce))
    return refuse(attestationError(409, 'NONCE_REPLAY', 'this challenge nonce was already used'));
  // 20a
  const bodyAtt = bodyAttestationOf(att.normalised, att.id);
  const verdict = bodyAtt.verdict;
  const hw = hardwareIdInput(verdict.deviceArch, att.body.device, att.body.signals);
  if (!hasHardwareIdentity(hw)) {
    return refuse(
      attestationError(422, 'MISSING_HARDWARE_IDENTITY', 'a serial number or a valid MAC address is required'),
    );
  }
  // 21: only a committed binding that will not have lapsed by this attestation's epoch counts.
  const binding = chain.state.bindings.get(bodyAtt.hardwareId);
  if (binding && binding.miner !== identity && binding.lastEpoch >= epoch - BINDING_LAPSE_EPOCHS) {
    return refuse({
      status: 409,
      body: {
        ok: false,
        error: 'hardware_already_bound',
        message: 'this hardware is bound to another miner',
        code: 'DUPLICATE_HARDWARE',
      },
    });
  }
  // 23: pool and enrollment candidate (B.3).
  const reasons = verdict.reasons.slice();
  let candidate = false;
  const receivedAt = Math.floor(now);
  const objectText = canonicalJson(att.normalised);
  const checks = checksOf(att.body.fingerprint);
  if (att.scheme === 'canonical') {
    const offer = chain.attestationPool.offer({ epoch, receivedAt, size: objectText.length, att: bodyAtt });
    if (offer.poolFull) reasons.push('attestation_pool_full');
    else store.addToPool(att.id, epoch, identity, receivedAt, objectText);
    candidate = offer.candidate;
  } else {
    reasons.push('pipe_signature_not_enrollable');
  }
  store.recordMiner({
    miner: identity,
    at: receivedAt,
    deviceFamily: verdict.deviceFamily,
    deviceArch: verdict.deviceArch,
    entropyScore: entropyScore(att.body),
    passed: verdict.passed,
    weightUnits: verdict.weightUnits,
    publicKey: att.publicKey,
    checks: JSON.stringify(checks),
  });
  const workload = measurementWorkload(nonce);
  return {
    event: { miner: identity, epoch, candidate, passed: verdict.passed },
    reply: {
      status: 200,
      body: {
        ok: true,
        ticket_id: 'ticket_' + att.id.slice(0, 32),
        status: 'accepted',
        device: normalisedDevice(att.body.device),
        fingerprint_passed: verdict.passed,
        temporal_review_flag: false,
        measurement_binding_state: bindingState(att.body, nonce, workload),
        measurement_workload_next: workload ?? 1000,
        macs_recorded: normaliseMacs(att.body.signals).length,
        warthog_bonus: new PyFloat(1),
        epoch,
        device_family: verdict.deviceFamily,
        device_arch: verdict.deviceArch,
        weight: new PyFloat(unitsToWeight(verdict.weightUnits)),
        enrollment_candidate: candidate,
        reasons,
      },
    },
  };
}

export function enroll(chain: Chain, body: JsonValue): Reply {
  const checked = checkEnrollRequest(body);
  if (!checked.ok) return { status: checked.status, body: checked.body };
  const e = checked.enroll;
  const miner = e.minerPubkey;
  const minerRow = chain.stores.attestations.miner(miner);
  if (RTC_ADDRESS.test(miner)) {
    if (!/^[0-9a-f]{64}$/.test(e.publicKey) || addressFromPublicKeyHex(e.publicKey) !== miner) {
      return attestationError(400, 'PUBKEY_MISMATCH', 'public_key does not derive to miner_pubkey');
    }
  } else {
    const key = chain.state.pins.get(miner) ?? minerRow?.public_key;
    if (key === undefined) {
      return attestationError(412, 'ENROLLMENT_SIGNING_KEY_REQUIRED', 'this miner has never attested on this node');
    }
    if (key !== e.publicKey)
      return attestationError(400, 'PUBKEY_MISMATCH', 'public_key differs from the attestation key');
  }
  const current = chain.schedule.epochAt(chain.now());
  let epoch: number;
  if (verifyEnrollment(e, current, chain.verify)) epoch = current;
  else if (verifyEnrollment(e, current - 1, chain.verify)) epoch = current - 1;
  else return attestationError(400, 'INVALID_ENROLLMENT_SIGNATURE', 'the enrollment signature does not verify');
  if (!minerRow)
    return { status: 412, body: { error: 'no_recent_attestation', ttl_s: ENROLL_ATTESTATION_TTL_SECONDS } };
  if (Math.floor(chain.now()) - minerRow.last_attest > ENROLL_ATTESTATION_TTL_SECONDS) {
    return { status: 412, body: { error: 'attestation_expired', ttl_s: ENROLL_ATTESTATION_TTL_SECONDS } };
  }
  const candidate = chain.attestationPool.candidate(epoch, miner);
  const family = candidate?.att.verdict.deviceFamily ?? minerRow.device_family;
  const arch = candidate?.att.verdict.deviceArch ?? minerRow.device_arch;
  const checks = candidate
    ? checksOf(candidate.att.object.fingerprint)
    : (JSON.parse(minerRow.checks) as { names: string[]; passed: number });
  return {
    status: 200,
    body: {
      ok: true,
      epoch,
      weight: new PyFloat(candidate ? unitsToWeight(candidate.att.verdict.weightUnits) : 0),
      hw_weight: new PyFloat(unitsToWeight(tableWeightUnits(family, arch))),
      measurement_nonce: null,
      active_fingerprint_checks: checks.names,
      active_fingerprint_pass_count: checks.passed,
      active_fingerprint_total: checks.names.length,
      fingerprint_failed: candidate ? !candidate.att.verdict.passed : minerRow.fingerprint_passed === 0,
      miner_pk: miner,
      miner_id: e.minerId,
    },
  };
}
