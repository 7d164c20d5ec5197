import { describe, expect, it } from 'vitest';
import { loadVectors } from '../support/vectors.js';
import {
  canonicalJson,
  isJsonObject,
  parseJson,
  type JsonObject,
  type JsonValue,
} from '../../src-main/protocol/canonical-json.js';
import { bytesToHex, hexToBytes, utf8 } from '../../src-main/protocol/bytes.js';
import { keyPairFromSeed, sign, verifyStrict } from '../../src-main/protocol/keys.js';
import { verifyFast } from '../../src-main/node/crypto/ed25519-fast.js';
import {
  attestationEpoch,
  attestationError,
  attestationId,
  attestationIdentity,
  attestationNonce,
  attestationSigningText,
  checkAttestationRequest,
  checkEnrollRequest,
  enrollmentText,
  makeChallengeNonce,
  measurementWorkload,
  nonceSlot,
  normaliseAttestation,
  pipeSigningText,
  reportCommitment,
  verifyEnrollment,
} from '../../src-main/protocol/attestation.js';

const v = loadVectors('attestation-signatures');
const seed = hexToBytes(v.seed as string);
const publicKey = v.public_key as string;

interface AttCase {
  name: string;
  submit_body_text: string;
  expected_signature_verdict: 'valid' | 'invalid' | 'incomplete' | 'missing';
  scheme?: 'canonical_json' | 'pipe';
  signed_text?: string;
}

const VERDICT_CODES: Record<string, string> = {
  invalid: 'INVALID_SIGNATURE',
  incomplete: 'INCOMPLETE_SIGNATURE',
  missing: 'MISSING_SIGNATURE',
};

function bodyOf(c: { submit_body_text: string }): JsonObject {
  const b = parseJson(c.submit_body_text);
  if (!isJsonObject(b)) throw new Error('fixture is not an object');
  return b;
}

describe('attestation-signatures.json', () => {
  const cases = v.cases as AttCase[];
  it('has the 16 constructions', () => expect(cases.length).toBe(16));
  for (const c of cases) {
    it(`${c.name}: ${c.expected_signature_verdict}`, () => {
      for (const verify of [verifyStrict, verifyFast]) {
        const r = checkAttestationRequest(bodyOf(c), { verify });
        if (c.expected_signature_verdict === 'valid') {
          expect(r.ok, r.ok ? '' : canonicalJson(r.body)).toBe(true);
          if (!r.ok) return;
          expect(r.att.scheme).toBe(c.scheme === 'pipe' ? 'pipe' : 'canonical');
          expect(r.att.publicKey).toBe(publicKey);
          if (c.signed_text !== undefined) {
            const text = c.scheme === 'pipe' ? pipeSigningText(r.att.body) : attestationSigningText(r.att.body);
            expect(text).toBe(c.signed_text);
          }
          // The normal form still verifies canonically and its id covers the normalised keys.
          if (r.att.scheme === 'canonical') {
            expect(r.att.normalised.signature_type).toBe('canonical_json');
            expect(r.att.normalised.public_key).toBe(publicKey);
            const again = checkAttestationRequest(r.att.normalised, { verify });
            expect(again.ok && again.att.id).toBe(r.att.id);
          }
        } else {
          expect(r.ok).toBe(false);
          if (r.ok) return;
          expect(r.status).toBe(400);
          expect(r.body.code).toBe(VERDICT_CODES[c.expected_signature_verdict]);
          if (c.expected_signature_verdict === 'invalid') expect(r.body.error).toBe('invalid_attestation_signature');
        }
      }
    });
  }

  it('canonical text and signature of the worked example', () => {
    const body = bodyOf(cases[0] as AttCase);
    expect(attestationSigningText(body)).toBe(v.canonical_signed_text);
    expect(bytesToHex(sign(utf8(v.canonical_signed_text as string), seed))).toBe(v.canonical_signature);
    expect(bytesToHex(keyPairFromSeed(seed).publicKey)).toBe(publicKey);
  });

  it('pipe text and signature', () => {
    const body = bodyOf(cases[0] as AttCase);
    expect(pipeSigningText(body)).toBe(v.pipe_signed_text);
    expect(bytesToHex(sign(utf8(v.pipe_signed_text as string), seed))).toBe(v.pipe_signature);
  });

  it('enrollment text and signature, and the stateless enroll checks', () => {
    const e = v.enrollment as { epoch: number; signed_text: string; signature: string };
    const [minerPubkey, minerId] = e.signed_text.split('|') as [string, string];
    expect(enrollmentText(minerPubkey, minerId, e.epoch)).toBe(e.signed_text);
    expect(bytesToHex(sign(utf8(e.signed_text), seed))).toBe(e.signature);
    const req = checkEnrollRequest({
      miner_pubkey: minerPubkey,
      miner_id: minerId,
      signature: e.signature,
      public_key: publicKey,
    });
    expect(req.ok).toBe(true);
    if (!req.ok) return;
    expect(verifyEnrollment(req.enroll, e.epoch)).toBe(true);
    expect(verifyEnrollment(req.enroll, e.epoch - 1, verifyFast)).toBe(false);
    expect(enrollmentText(minerPubkey, undefined, 3)).toBe(`${minerPubkey}|${minerPubkey}|3`);
  });

  it('report commitment (spaced JSON)', () => {
    const body = bodyOf(cases[0] as AttCase);
    const report = body.report as JsonObject;
    expect(v.commitment_input).toBe(
      `${v.nonce}${body.miner}{"mean_ns": 812345.5, "sample_count": 48, "variance_ns": 1234.25}`,
    );
    expect(reportCommitment(v.nonce as string, body.miner as string, report.derived as JsonValue)).toBe(
      report.commitment,
    );
  });

  it('the reference miner capture verifies', () => {
    const cap = v.reference_miner_capture as { submit_body_text: string; signed_text: string };
    const body = bodyOf(cap);
    expect(attestationSigningText(body)).toBe(cap.signed_text);
    for (const verify of [verifyStrict, verifyFast]) {
      const r = checkAttestationRequest(body, { verify });
      expect(r.ok && r.att.scheme).toBe('canonical');
    }
    const report = body.report as JsonObject;
    expect(reportCommitment(report.nonce as string, body.miner as string, report.derived as JsonValue)).toBe(
      report.commitment,
    );
  });
});

describe('identity, nonce, normal form', () => {
  it('identity: trimmed miner, else miner_id', () => {
    expect(attestationIdentity({ miner: '  a  ', miner_id: 'b' })).toBe('a');
    expect(attestationIdentity({ miner: ' ', miner_id: ' b' })).toBe('b');
    expect(attestationIdentity({ miner: 5 })).toBe(null);
  });
  it('nonce: report.nonce wins over nonce', () => {
    expect(attestationNonce({ nonce: 'x', report: { nonce: 'y' } })).toBe('y');
    expect(attestationNonce({ nonce: 'x', report: { nonce: '' } })).toBe('x');
    expect(attestationNonce({})).toBe(null);
  });
  it('challenge nonces encode the slot', () => {
    const n = makeChallengeNonce(51462, new Uint8Array(24).fill(0xab));
    expect(n).toBe('000000000000c906' + 'ab'.repeat(24));
    expect(nonceSlot(n)).toBe(51462n);
    expect(attestationEpoch(n, 144)).toBe(357n);
    expect(makeChallengeNonce(2n ** 64n - 1n, new Uint8Array(24))).toMatch(/^f{16}0{48}$/);
    expect(() => makeChallengeNonce(-1, new Uint8Array(24))).toThrow(RangeError);
    expect(() => makeChallengeNonce(1, new Uint8Array(23))).toThrow(RangeError);
    expect(() => nonceSlot('xyz')).toThrow(RangeError);
  });
  it('measurement workload', () => {
    expect(measurementWorkload('abab' + '0'.repeat(60))).toBe(1000 + (0xabab % 1000));
    expect(measurementWorkload('zz')).toBe(null);
  });
  it('attestation id is the hash of the normal form', () => {
    const body = bodyOf((v.cases as AttCase[]).find((c) => c.name === 'canonical_upper_case_hex') as AttCase);
    const n = normaliseAttestation(body);
    expect(n.public_key).toBe(publicKey);
    expect(attestationId(n)).toMatch(/^[0-9a-f]{64}$/);
    expect(attestationId(normaliseAttestation(n))).toBe(attestationId(n));
  });
});

describe('A.6.5 rows 1–16a', () => {
  const valid = () => bodyOf((v.cases as AttCase[])[0] as AttCase);
  const code = (b: JsonValue) => {
    const r = checkAttestationRequest(b);
    return r.ok ? 'ok' : `${r.status} ${r.body.code}`;
  };
  /** Re-signs a modified body canonically so that only the row under test can fail. */
  const signed = (b: JsonObject): JsonObject => {
    const { signature: _s, public_key: _p, signature_type: _t, ...rest } = b;
    const sig = sign(utf8(attestationSigningText(rest)), seed);
    return { ...rest, signature: bytesToHex(sig), public_key: publicKey, signature_type: 'canonical_json' };
  };
  it('walks the table in order', () => {
    expect(code([1])).toBe('400 INVALID_JSON_OBJECT');
    expect(code({ ...valid(), device: [] })).toBe('400 INVALID_DEVICE');
    expect(code({ ...valid(), fingerprint: 'x' })).toBe('400 INVALID_FINGERPRINT');
    expect(code({ ...valid(), miner: 5 })).toBe('400 INVALID_MINER');
    expect(code({ ...valid(), miner: 'has space' })).toBe('400 INVALID_MINER');
    expect(code({ ...valid(), miner: '7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU' })).toBe(
      '400 INVALID_MINER_WALLET_FORMAT',
    );
    expect(code({ ...valid(), miner: 'RTC10BA682C8AD13513971E8B56881AAB8BD702BB80' })).toBe('400 INVALID_MINER');
    expect(code({ ...valid(), public_key: 7 })).toBe('400 INVALID_PUBLIC_KEY_TYPE');
    const { miner: _m, miner_id: _i, ...anonymous } = valid();
    expect(code(anonymous)).toBe('400 MISSING_MINER');
    expect(code({ ...valid(), device: { cores: 0 } })).toBe('422 INVALID_DEVICE_CORES');
    expect(code({ ...valid(), device: { cores: 12, cpu: 3 } })).toBe('400 INVALID_DEVICE');
    expect(code({ ...valid(), signals: { macs: [''] } })).toBe('400 INVALID_SIGNALS_MACS');
    expect(code({ ...valid(), signals: { macs: ['a'], hostname: 1 } })).toBe('400 INVALID_SIGNALS');
    expect(code({ ...valid(), report: { nonce: 1 } })).toBe('400 INVALID_REPORT');
    expect(code({ ...valid(), fingerprint: { checks: [] } })).toBe('400 INVALID_FINGERPRINT_CHECKS');
    expect(code({ ...valid(), fingerprint: { checks: { clock_drift: { data: { cv: 'NaN' } } } } })).toBe(
      '422 INVALID_FINGERPRINT_METRIC',
    );
    expect(code({ ...valid(), device: {} })).toBe('422 MISSING_DEVICE');
    expect(code({ ...valid(), signals: null })).toBe('422 MISSING_SIGNALS');
    expect(code({ ...valid(), fingerprint: { checks: {} } })).toBe('422 MISSING_FINGERPRINT');
    expect(code({ ...valid(), padding: 'x'.repeat(70000) })).toBe('413 ATTESTATION_TOO_LARGE');
    expect(code({ ...valid(), signature: '' })).toBe('400 INCOMPLETE_SIGNATURE');
    expect(code({ ...valid(), signature_type: 5 })).toBe('400 INVALID_SIGNATURE_TYPE_FIELD');
    expect(code({ ...valid(), signature: 'zz' })).toBe('400 INVALID_SIGNATURE');
  });
  it('accepts integral float cores and numeric-string metrics when signed', () => {
    const b = signed({ ...valid(), device: { ...(valid().device as JsonObject), cores: parseJson('8.0') } });
    expect(code(b)).toBe('ok');
    const m = signed({
      ...valid(),
      fingerprint: { checks: { clock_drift: { passed: true, data: { cv: ' 0.5 ', samples: '' } } } },
    });
    expect(code(m)).toBe('ok');
  });
  it('16a: an RTC miner must sign with the key of that address', () => {
    const other = keyPairFromSeed(new Uint8Array(32).fill(7));
    const { signature: _s, public_key: _p, ...rest } = valid();
    const sig = sign(utf8(attestationSigningText(rest)), other.seed);
    const r = checkAttestationRequest({ ...rest, signature: bytesToHex(sig), public_key: bytesToHex(other.publicKey) });
    expect(!r.ok && [r.status, r.body.code, r.body.error]).toEqual([
      400,
      'PUBKEY_ADDRESS_MISMATCH',
      'pubkey_address_mismatch',
    ]);
    // A legacy name may use any key (its pin is the node's business, row 16b).
    const legacy = signed({ ...rest, miner: 'dual-g4-125' });
    expect(code(legacy)).toBe('ok');
  });
  it('error builder shape', () => {
    expect(attestationError(409, 'NONCE_REPLAY', 'used').body).toEqual({
      ok: false,
      error: 'nonce_replay',
      message: 'used',
      code: 'NONCE_REPLAY',
    });
  });
});

describe('A.7 stateless rows', () => {
  const reqCode = (b: JsonValue) => {
    const r = checkEnrollRequest(b);
    return r.ok ? 'ok' : `${r.status} ${String(r.body.code ?? r.body.error)}`;
  };
  it('walks the table', () => {
    expect(reqCode('x')).toBe('400 Invalid JSON body');
    expect(reqCode({})).toBe('400 Missing miner_pubkey');
    expect(reqCode({ miner_pubkey: 'm', signature: 1 })).toBe('400 INVALID_SIGNATURE_TYPE');
    expect(reqCode({ miner_pubkey: 'm', public_key: 1 })).toBe('400 INVALID_PUBLIC_KEY_TYPE');
    expect(reqCode({ miner_pubkey: 'm' })).toBe('401 SIGNED_ENROLLMENT_REQUIRED');
    expect(reqCode({ miner_pubkey: 'm', signature: 'aa' })).toBe('400 INCOMPLETE_SIGNATURE');
    expect(reqCode({ miner_pubkey: 'm', signature: 'aa', public_key: 'bb' })).toBe('ok');
  });
});
