/**
 * Builds the A.6.4 fingerprint JSON from raw measurements: exactly the reference miner's names and
 * JSON types, floats rounded to the stated decimals and marked as Python floats (so 2 serialises as
 * `2.0`), integers truncated toward zero (D.4), and each check's client-side pass rule.
 */
import { PyFloat, type JsonObject } from '../../protocol/canonical-json.js';
import type {
  RawAntiEmulation,
  RawCacheTiming,
  RawChecks,
  RawClockDrift,
  RawInstructionJitter,
  RawSimdIdentity,
  RawThermalDrift,
} from './raw.js';

/** Python's round(x, n) for the values we produce (finite, far below 1e15). */
export function roundFloat(x: number, decimals: number): PyFloat {
  if (!Number.isFinite(x)) return new PyFloat(0);
  return new PyFloat(Number(x.toFixed(decimals)));
}

function int(x: number): number {
  return Number.isFinite(x) ? Math.trunc(x) : 0;
}

function check(passed: boolean, data: JsonObject): JsonObject {
  return { passed, data };
}

export function shapeClockDrift(r: RawClockDrift): JsonObject {
  const cv = roundFloat(r.cv, 6);
  const driftStdev = int(r.drift_stdev);
  const data: JsonObject = {
    mean_ns: int(r.mean_ns),
    stdev_ns: int(r.stdev_ns),
    cv,
    drift_stdev: driftStdev,
    samples: int(r.samples),
  };
  let failReason: string | null = null;
  if (cv.value < 0.0001) failReason = 'synthetic_timing';
  else if (driftStdev === 0) failReason = 'no_drift';
  if (failReason) data['fail_reason'] = failReason;
  return check(failReason === null, data);
}

function isPowerPc(arch: string): boolean {
  return /^(ppc|powerpc)/.test(arch);
}

export function shapeCacheTiming(r: RawCacheTiming): JsonObject {
  const arch = r.arch.toLowerCase();
  const l1 = roundFloat(r.l1_ns, 2);
  const l2 = roundFloat(r.l2_ns, 2);
  const l3 = roundFloat(r.l3_ns, 2);
  const l2l1 = roundFloat(r.l1_ns > 0 ? r.l2_ns / r.l1_ns : 0, 3);
  const l3l2 = roundFloat(r.l2_ns > 0 ? r.l3_ns / r.l2_ns : 0, 3);
  const data: JsonObject = { arch, l1_ns: l1, l2_ns: l2, l3_ns: l3, l2_l1_ratio: l2l1, l3_l2_ratio: l3l2 };
  let failReason: string | null = null;
  if (l1.value === 0 || l2.value === 0 || l3.value === 0) failReason = 'zero_latency';
  else if (l2l1.value < 1.01 && l3l2.value < 1.01) {
    if (isPowerPc(arch)) data['measurement'] = 'inconclusive_on_this_arch';
    else failReason = 'no_cache_hierarchy';
  }
  if (failReason) data['fail_reason'] = failReason;
  return check(failReason === null, data);
}

export function shapeSimdIdentity(r: RawSimdIdentity): JsonObject {
  const flags = r.flags;
  const data: JsonObject = {
    arch: r.arch.toLowerCase(),
    simd_flags_count: flags.length,
    has_sse: flags.some((f) => f.includes('sse')),
    has_avx: flags.some((f) => f.includes('avx')),
    has_altivec: flags.includes('altivec'),
    has_neon: flags.includes('neon') || flags.includes('asimd'),
    sample_flags: flags.slice(0, 10),
  };
  return check(flags.length > 0, data);
}

export function shapeThermalDrift(r: RawThermalDrift): JsonObject {
  const coldStdev = int(r.cold_stdev);
  const hotStdev = int(r.hot_stdev);
  const data: JsonObject = {
    cold_avg_ns: int(r.cold_avg_ns),
    hot_avg_ns: int(r.hot_avg_ns),
    cold_stdev: coldStdev,
    hot_stdev: hotStdev,
    drift_ratio: roundFloat(r.cold_avg_ns > 0 ? r.hot_avg_ns / r.cold_avg_ns : 0, 4),
  };
  return check(!(coldStdev === 0 && hotStdev === 0), data);
}

export function shapeInstructionJitter(r: RawInstructionJitter): JsonObject {
  const data: JsonObject = {
    int_avg_ns: int(r.int_avg_ns),
    fp_avg_ns: int(r.fp_avg_ns),
    branch_avg_ns: int(r.branch_avg_ns),
    int_stdev: int(r.int_stdev),
    fp_stdev: int(r.fp_stdev),
    branch_stdev: int(r.branch_stdev),
  };
  const allZero = data['int_stdev'] === 0 && data['fp_stdev'] === 0 && data['branch_stdev'] === 0;
  return check(!allZero, data);
}

export function shapeAntiEmulation(r: RawAntiEmulation): JsonObject {
  const indicators = [...new Set(r.vm_indicators)].sort();
  const data: JsonObject = {
    vm_indicators: indicators,
    indicator_count: indicators.length,
    is_likely_vm: indicators.length > 0,
    paths_checked: [...r.paths_checked],
  };
  return check(indicators.length === 0, data);
}

/** `{"checks": {...}, "all_passed": bool}` for whichever checks were measured. */
export function shapeFingerprint(raw: RawChecks): JsonObject {
  const checks: JsonObject = {};
  if (raw.clock_drift) checks['clock_drift'] = shapeClockDrift(raw.clock_drift);
  if (raw.cache_timing) checks['cache_timing'] = shapeCacheTiming(raw.cache_timing);
  if (raw.simd_identity) checks['simd_identity'] = shapeSimdIdentity(raw.simd_identity);
  if (raw.thermal_drift) checks['thermal_drift'] = shapeThermalDrift(raw.thermal_drift);
  if (raw.instruction_jitter) checks['instruction_jitter'] = shapeInstructionJitter(raw.instruction_jitter);
  if (raw.anti_emulation) checks['anti_emulation'] = shapeAntiEmulation(raw.anti_emulation);
  const allPassed = Object.values(checks).every((c) => (c as JsonObject)['passed'] === true);
  return { checks, all_passed: allPassed };
}
