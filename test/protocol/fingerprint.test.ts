import { describe, expect, it } from 'vitest';
import { canonicalJson, parseJson, type JsonValue } from '../../src-main/protocol/canonical-json.js';
import {
  hardwareId,
  hardwareIdInput,
  hardwareTypeLabel,
  hashMacForChain,
  hashSerialForChain,
  tableWeightUnits,
  validateFingerprint,
} from '../../src-main/protocol/fingerprint/index.js';
import { asObject, loadVectorsText } from '../support/vectors.js';

const obj = asObject;

// The number-preserving parser keeps `12.0` a float (case cores_integral_float).
const file = obj(parseJson(loadVectorsText('fingerprint-validation')));
const cases = (file.cases as JsonValue[]).map(obj);

describe('fingerprint validation vectors (B.1, B.2)', () => {
  it('has all 54 cases', () => {
    expect(cases).toHaveLength(54);
  });

  it.each(cases.map((c) => [String(c.name), c] as const))('%s', (_name, c) => {
    const att = obj(c.attestation);
    const expected = obj(c.expected);
    const verdict = validateFingerprint({ device: att.device, signals: att.signals, fingerprint: att.fingerprint });
    expect(verdict.passed).toBe(expected.passed);
    expect(verdict.reasons).toEqual(expected.reasons);
    expect(verdict.deviceFamily).toBe(expected.device_family);
    expect(verdict.deviceArch).toBe(expected.device_arch);
    expect(verdict.weightUnits).toBe(BigInt(expected.weight_units as number));
    const input = hardwareIdInput(verdict.deviceArch, att.device, att.signals);
    expect(canonicalJson(input)).toBe(expected.hardware_id_input);
    expect(hardwareId(input)).toBe(expected.hardware_id);
  });

  it('identifier hashing (D.3)', () => {
    const rows = (file.identifier_hashing as JsonValue[]).map(obj);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(hashSerialForChain(String(r.chain_id), String(r.serial))).toBe(r.sent_serial);
      expect(hashMacForChain(String(r.chain_id), String(r.mac))).toBe(r.sent_mac);
    }
    expect(hashSerialForChain('x', '  ')).toBeNull();
    expect(hashMacForChain('x', 'not-a-mac')).toBeNull();
  });
});

describe('weight table (B.1.5)', () => {
  it('exact units, default and baseline', () => {
    expect(tableWeightUnits('PowerPC', 'G4')).toBe(2_500_000_000n);
    expect(tableWeightUnits('ARM', 'aarch64')).toBe(500_000n);
    expect(tableWeightUnits('Apple Silicon', 'M4')).toBe(1_050_000_000n);
    expect(tableWeightUnits('x86', 'unknown-label')).toBe(1_000_000_000n);
    expect(tableWeightUnits('SPARC', 'sparc')).toBe(800_000_000n);
    expect(tableWeightUnits('Windows', 'Intel64 Family 6 Model 60')).toBe(1_050_000_000n);
  });

  it('hardware_type labels (A.8.2)', () => {
    expect(hardwareTypeLabel('PowerPC', 'G4')).toBe('PowerPC G4 (Vintage)');
    expect(hardwareTypeLabel('PowerPC', 'power9')).toBe('PowerPC (Vintage)');
    expect(hardwareTypeLabel('Apple Silicon', 'M1')).toBe('Apple Silicon (Modern)');
    expect(hardwareTypeLabel('x86', 'modern')).toBe('x86-64 (Modern)');
    expect(hardwareTypeLabel('x86', 'core2')).toBe('x86 Retro (Vintage)');
    expect(hardwareTypeLabel('ARM', 'aarch64')).toBe('Unknown/Other');
  });
});
