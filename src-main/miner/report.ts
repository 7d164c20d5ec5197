/**
 * The entropy report, its commitment and the measurement binding of PROTOCOL.md D.5. Measured in
 * the miner process with process.hrtime; fresh for every attestation.
 */
import { createHash } from 'node:crypto';
import { PyFloat, type JsonObject } from '../protocol/canonical-json.js';
import { measurementWorkload, reportCommitment } from '../protocol/attestation.js';

const DERIVED_SAMPLES = 48;
const XOR_ITERATIONS = 25_000;

/** 48 timings of a 25,000-iteration XOR loop (D.5 `report.derived`). */
export function measureDerived(): JsonObject {
  const samples: number[] = [];
  let acc = 0;
  for (let s = 0; s < DERIVED_SAMPLES; s++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < XOR_ITERATIONS; i++) acc ^= (i * 2654435761) >>> 0;
    samples.push(Number(process.hrtime.bigint() - t0));
  }
  if (acc === 0.5) throw new Error('unreachable'); // keeps the loop observable
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  const variance = samples.reduce((a, x) => a + (x - mean) ** 2, 0) / samples.length;
  return {
    mean_ns: new PyFloat(mean),
    variance_ns: new PyFloat(variance),
    min_ns: Math.min(...samples),
    max_ns: Math.max(...samples),
    sample_count: DERIVED_SAMPLES,
    samples_preview: samples.slice(0, 12),
  };
}

export function buildReport(nonce: string, miner: string): JsonObject {
  const derived = measureDerived();
  return {
    nonce,
    commitment: reportCommitment(nonce, miner, derived),
    derived,
    entropy_score: derived['variance_ns'] as PyFloat,
  };
}

/**
 * `{"nonce", "iterations", "duration_ns"}`: the time to run the clock_drift unit of work (one
 * SHA-256 of the zero-padded 16-byte `drift_<i>` message) `iterations` times.
 */
export function measurementBinding(nonce: string): JsonObject | null {
  const iterations = measurementWorkload(nonce);
  if (iterations === null) return null;
  const msg = Buffer.alloc(16);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) {
    msg.fill(0);
    msg.write(`drift_${i}`, 'ascii');
    createHash('sha256').update(msg).digest();
  }
  const duration = Number(process.hrtime.bigint() - t0);
  return { nonce, iterations, duration_ns: Math.max(1, duration) };
}
