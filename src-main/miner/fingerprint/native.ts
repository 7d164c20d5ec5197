/**
 * Loads the native fingerprint addon (native/build/Release) and runs its off-thread measurement with
 * progress callbacks and cancellation through an AbortSignal.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DEFAULT_PARAMS,
  MeasurementCancelled,
  type CheckName,
  type MeasureParams,
  type ProgressListener,
  type RawMeasurement,
} from './raw.js';

interface NativeAddon {
  measure(
    options: MeasureParams,
    onProgress: ((check: string, fraction: number) => void) | null,
    onDone: (err: Error | null, result?: RawMeasurement) => void,
  ): { cancel(): void };
  machine: string;
  timer: string;
  cycleCounter: string;
  version: number;
}

const ADDON_FILE = 'rustchain_fingerprint.node';

/** native/build/Release/<addon> from the source tree (src-main/…) or the compiled tree (dist/src-main/…). */
function addonCandidates(): string[] {
  const here = dirname(fileURLToPath(import.meta.url));
  const out: string[] = [];
  let dir = here;
  for (let i = 0; i < 6; i++) {
    out.push(join(dir, 'native', 'build', 'Release', ADDON_FILE));
    dir = dirname(dir);
  }
  return out;
}

let cached: { addon: NativeAddon | null; error: string | null } | undefined;

/** The addon, or null with the reason it could not load (cached: a failed load is not retried). */
export function loadNativeAddon(): { addon: NativeAddon | null; error: string | null } {
  if (cached) return cached;
  if (process.env.RUSTCHAIN_FINGERPRINT_NATIVE === '0') {
    cached = { addon: null, error: 'disabled by RUSTCHAIN_FINGERPRINT_NATIVE=0' };
    return cached;
  }
  const require = createRequire(import.meta.url);
  const path = addonCandidates().find((p) => existsSync(p));
  if (!path) {
    cached = { addon: null, error: `${ADDON_FILE} not built (run npm ci or npm run install)` };
    return cached;
  }
  try {
    cached = { addon: require(path) as NativeAddon, error: null };
  } catch (e) {
    cached = { addon: null, error: `cannot load ${path}: ${e instanceof Error ? e.message : String(e)}` };
  }
  return cached;
}

export function measureNative(
  addon: NativeAddon,
  params: MeasureParams = {},
  onProgress?: ProgressListener,
  signal?: AbortSignal,
): Promise<RawMeasurement> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new MeasurementCancelled());
      return;
    }
    const progress = onProgress ? (check: string, fraction: number) => onProgress(check as CheckName, fraction) : null;
    const handle = addon.measure({ ...DEFAULT_PARAMS, ...params }, progress, (err, result) => {
      signal?.removeEventListener('abort', onAbort);
      if (err) reject(err.message === 'cancelled' ? new MeasurementCancelled() : err);
      else resolve(result as RawMeasurement);
    });
    const onAbort = (): void => handle.cancel();
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
