/**
 * Raw, unrounded measurements of the six D.4 checks, as produced by the native addon or by the
 * TypeScript fallback. `shape.ts` turns them into the A.6.4 fingerprint JSON.
 */
export interface RawClockDrift {
  mean_ns: number;
  stdev_ns: number;
  cv: number;
  drift_stdev: number;
  samples: number;
  timer?: string;
}

export interface CacheSweepPoint {
  bytes: number;
  ns: number;
}

export interface RawCacheTiming {
  arch: string;
  l1_ns: number;
  l2_ns: number;
  l3_ns: number;
  /** Latency well beyond the last-level cache (the largest sweep buffer). */
  mem_ns: number;
  l1_bytes: number;
  l2_bytes: number;
  l3_bytes: number;
  line_bytes: number;
  sizes_source: string;
  timer?: string;
  /** Latency from 4 KiB to beyond the last-level cache, doubling each step. */
  sweep: CacheSweepPoint[];
}

export interface RawSimdIdentity {
  arch: string;
  flags: string[];
  source: string;
}

export interface ThermalZoneReading {
  zone: string;
  millicelsius: number;
}

export interface RawThermalDrift {
  cold_avg_ns: number;
  hot_avg_ns: number;
  cold_stdev: number;
  hot_stdev: number;
  hot_phase_ms: number;
  sensors_cold: ThermalZoneReading[];
  sensors_hot: ThermalZoneReading[];
}

export interface RawInstructionJitter {
  int_avg_ns: number;
  fp_avg_ns: number;
  branch_avg_ns: number;
  int_stdev: number;
  fp_stdev: number;
  branch_stdev: number;
}

export interface RawAntiEmulation {
  vm_indicators: string[];
  paths_checked: string[];
}

export interface RawChecks {
  clock_drift?: RawClockDrift;
  cache_timing?: RawCacheTiming;
  simd_identity?: RawSimdIdentity;
  thermal_drift?: RawThermalDrift;
  instruction_jitter?: RawInstructionJitter;
  anti_emulation?: RawAntiEmulation;
}

export type CheckName = keyof RawChecks;

export const CHECK_NAMES: readonly CheckName[] = [
  'clock_drift',
  'cache_timing',
  'simd_identity',
  'thermal_drift',
  'instruction_jitter',
  'anti_emulation',
];

export interface RawMeasurement {
  checks: RawChecks;
  /** Wall time per check. */
  elapsed_ns: Partial<Record<CheckName, number>>;
  /** The monotonic clock and the loop timer actually used. */
  timer: string;
  loop_timer: string;
  machine: string;
}

/**
 * Measurement parameters (D.4 defaults unless noted). `duty` is the CPU budget: the fraction of
 * wall time the measuring thread spends working; below 1 it sleeps between samples so that
 * work / (work + sleep) ≈ duty. It stretches the run, it never changes what is measured.
 */
export interface MeasureParams {
  driftSamples?: number;
  driftHashes?: number;
  cacheRuns?: number;
  cacheLoads?: number;
  sweepRuns?: number;
  thermalSamples?: number;
  thermalHashes?: number;
  thermalHotMs?: number;
  jitterSamples?: number;
  jitterOps?: number;
  duty?: number;
  /** Only these checks (tests and benchmarks); default all six. */
  checks?: CheckName[];
}

/**
 * Our defaults: D.4's sample counts, except a 1 s hot phase instead of 2 s so a whole fingerprint
 * stays within the 5 s budget on a 2-core VM (docs/decisions/fingerprint-defaults.md).
 */
export const DEFAULT_PARAMS: Readonly<Required<Omit<MeasureParams, 'checks'>>> = {
  driftSamples: 200,
  driftHashes: 5000,
  cacheRuns: 100,
  cacheLoads: 10000,
  sweepRuns: 10,
  thermalSamples: 50,
  thermalHashes: 10000,
  thermalHotMs: 1000,
  jitterSamples: 100,
  jitterOps: 10000,
  duty: 1,
};

export type ProgressListener = (check: CheckName, fraction: number) => void;

export class MeasurementCancelled extends Error {
  constructor() {
    super('fingerprint measurement cancelled');
    this.name = 'MeasurementCancelled';
  }
}
