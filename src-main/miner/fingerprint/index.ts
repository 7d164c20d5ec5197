/**
 * One fresh fingerprint (D.4): the native addon when it loads, else the TypeScript fallback, which is
 * reported as `fidelity: 'fallback'` next to (never inside) the fingerprint JSON.
 */
import type { JsonObject } from '../../protocol/canonical-json.js';
import { measureFallback } from './fallback.js';
import { loadNativeAddon, measureNative } from './native.js';
import type { MeasureParams, ProgressListener, RawMeasurement } from './raw.js';
import { shapeFingerprint } from './shape.js';

export * from './raw.js';
export { shapeFingerprint, roundFloat } from './shape.js';
export { loadNativeAddon } from './native.js';

export type Fidelity = 'native' | 'fallback';

export interface FingerprintResult {
  /** The A.6.4 object sent to the node. */
  fingerprint: JsonObject;
  fidelity: Fidelity;
  /** Why the addon was not used (fallback only). */
  fallbackReason: string | null;
  /** Everything measured, including what A.6.4 has no field for (cache sweep, sizes, sensors). */
  raw: RawMeasurement;
  elapsedMs: number;
}

export interface MeasureOptions {
  params?: MeasureParams;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
  /** Use the fallback even if the addon loads (tests and diagnostics). */
  forceFallback?: boolean;
}

export async function measureFingerprint(opts: MeasureOptions = {}): Promise<FingerprintResult> {
  const started = performance.now();
  const { addon, error } = opts.forceFallback ? { addon: null, error: 'fallback requested' } : loadNativeAddon();
  const raw = addon
    ? await measureNative(addon, opts.params, opts.onProgress, opts.signal)
    : await measureFallback(opts.params, opts.onProgress, opts.signal);
  return {
    fingerprint: shapeFingerprint(raw.checks),
    fidelity: addon ? 'native' : 'fallback',
    fallbackReason: addon ? null : error,
    raw,
    elapsedMs: performance.now() - started,
  };
}
