import { describe, expect, it } from 'vitest';
import { canonicalJson, isJsonObject, parseJson, type JsonObject } from '../../src-main/protocol/canonical-json.js';
import { validateFingerprint } from '../../src-main/protocol/fingerprint/rules.js';
import { loadNativeAddon, measureFingerprint, type FingerprintResult } from '../../src-main/miner/fingerprint/index.js';
import { collectDevice } from '../../src-main/miner/device.js';

const A64_FIELDS: Record<string, Record<string, 'int' | 'float' | 'string' | 'bool' | 'array'>> = {
  clock_drift: { mean_ns: 'int', stdev_ns: 'int', cv: 'float', drift_stdev: 'int', samples: 'int' },
  cache_timing: {
    arch: 'string',
    l1_ns: 'float',
    l2_ns: 'float',
    l3_ns: 'float',
    l2_l1_ratio: 'float',
    l3_l2_ratio: 'float',
  },
  simd_identity: {
    arch: 'string',
    simd_flags_count: 'int',
    has_sse: 'bool',
    has_avx: 'bool',
    has_altivec: 'bool',
    has_neon: 'bool',
    sample_flags: 'array',
  },
  thermal_drift: { cold_avg_ns: 'int', hot_avg_ns: 'int', cold_stdev: 'int', hot_stdev: 'int', drift_ratio: 'float' },
  instruction_jitter: {
    int_avg_ns: 'int',
    fp_avg_ns: 'int',
    branch_avg_ns: 'int',
    int_stdev: 'int',
    fp_stdev: 'int',
    branch_stdev: 'int',
  },
  anti_emulation: { vm_indicators: 'array', indicator_count: 'int', is_likely_vm: 'bool', paths_checked: 'array' },
};
const OPTIONAL = new Set(['fail_reason', 'measurement']);

/** The JSON type of a field after a round trip through canonical JSON (floats keep their `.0`). */
function jsonType(text: string): string {
  if (text.startsWith('"')) return 'string';
  if (text === 'true' || text === 'false') return 'bool';
  if (text.startsWith('[')) return 'array';
  return /[.eE]/.test(text) ? 'float' : 'int';
}

function checkData(fp: JsonObject, name: string): JsonObject {
  const c = (fp['checks'] as JsonObject)[name];
  if (!isJsonObject(c) || !isJsonObject(c['data'])) throw new Error(`no ${name}`);
  return c['data'];
}

function ns(fp: JsonObject, check: string, field: string): number {
  return Number(checkData(fp, check)[field]);
}

const native = loadNativeAddon();
// One shared pair of native runs keeps the suite within its time budget.
let runs: Promise<[FingerprintResult, FingerprintResult]> | undefined;
function twoRuns(): Promise<[FingerprintResult, FingerprintResult]> {
  runs ??= (async () =>
    [await measureFingerprint(), await measureFingerprint()] as [FingerprintResult, FingerprintResult])();
  return runs;
}

describe('native fingerprint addon', () => {
  it('builds and loads', () => {
    expect(native.error).toBeNull();
    expect(native.addon?.version).toBe(1);
    expect(typeof native.addon?.measure).toBe('function');
  });

  it('produces exactly the A.6.4 names and JSON types', async () => {
    const [r] = await twoRuns();
    expect(r.fidelity).toBe('native');
    const text = canonicalJson(r.fingerprint);
    const reparsed = JSON.parse(text) as {
      checks: Record<string, { passed: boolean; data: Record<string, unknown> }>;
      all_passed: boolean;
    };
    expect(Object.keys(reparsed).sort()).toEqual(['all_passed', 'checks']);
    expect(Object.keys(reparsed.checks).sort()).toEqual(Object.keys(A64_FIELDS).sort());
    for (const [name, fields] of Object.entries(A64_FIELDS)) {
      const data = checkData(r.fingerprint, name);
      const extra = Object.keys(data).filter((k) => !(k in fields) && !OPTIONAL.has(k));
      expect(extra, name).toEqual([]);
      for (const [field, type] of Object.entries(fields)) {
        const fieldText = canonicalJson(data[field] ?? null);
        expect(jsonType(fieldText), `${name}.${field} = ${fieldText}`).toBe(type);
      }
    }
    // canonical text parses back to the same canonical text (floats stay floats)
    expect(canonicalJson(parseJson(text))).toBe(text);
  });

  it('sees this VM: anti_emulation names its indicators and our rules give weight 0', async () => {
    const [r] = await twoRuns();
    const data = checkData(r.fingerprint, 'anti_emulation');
    const indicators = data['vm_indicators'] as string[];
    // the indicators seen on this machine, e.g. "cpuid:hypervisor_bit", "cpuinfo:hypervisor"
    console.log('anti_emulation indicators:', indicators.join(', '));
    expect(indicators.length).toBeGreaterThan(0);
    expect(
      indicators.some((i) =>
        /^(cpuid|cpuid_vendor|cpuinfo|systemd_detect_virt|container|dmi:[a-z_]+|sys_hypervisor):/.test(i),
      ),
    ).toBe(true);
    expect(data['is_likely_vm']).toBe(true);
    const anti = (r.fingerprint['checks'] as JsonObject)['anti_emulation'] as JsonObject;
    expect(anti['passed']).toBe(false);
    const { device, signals } = collectDevice();
    const verdict = validateFingerprint({ device, signals, fingerprint: r.fingerprint });
    expect(verdict.reasons).toContain('vm_detected');
    expect(verdict.passed).toBe(false);
    expect(verdict.weightUnits).toBe(0n);
  });

  it('measures afresh: two runs give different timings', async () => {
    const [a, b] = await twoRuns();
    const fieldsA = [
      ns(a.fingerprint, 'clock_drift', 'mean_ns'),
      ns(a.fingerprint, 'thermal_drift', 'cold_avg_ns'),
      ns(a.fingerprint, 'instruction_jitter', 'int_avg_ns'),
    ];
    const fieldsB = [
      ns(b.fingerprint, 'clock_drift', 'mean_ns'),
      ns(b.fingerprint, 'thermal_drift', 'cold_avg_ns'),
      ns(b.fingerprint, 'instruction_jitter', 'int_avg_ns'),
    ];
    expect(fieldsA).not.toEqual(fieldsB);
    expect(canonicalJson(a.fingerprint)).not.toBe(canonicalJson(b.fingerprint));
    expect(checkData(a.fingerprint, 'clock_drift')['samples']).toBe(200);
  });

  it('cache latencies rise from L1 to memory', async () => {
    const [r] = await twoRuns();
    const c = r.raw.checks.cache_timing;
    if (!c) throw new Error('no cache_timing');
    expect(c.l1_ns).toBeGreaterThan(0);
    expect(c.l2_ns).toBeGreaterThan(c.l1_ns);
    expect(c.l3_ns).toBeGreaterThan(c.l2_ns);
    expect(c.mem_ns).toBeGreaterThan(c.l2_ns);
    expect(c.sweep.length).toBeGreaterThanOrEqual(10);
    expect(c.sweep[0]?.bytes).toBe(4096);
    const first = c.sweep[0]?.ns ?? 0;
    const last = c.sweep[c.sweep.length - 1]?.ns ?? 0;
    expect(last).toBeGreaterThan(first * 5);
    expect(ns(r.fingerprint, 'cache_timing', 'l2_l1_ratio')).toBeGreaterThan(1.01);
  });

  it('reports progress and can be cancelled', async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    const p = measureFingerprint({
      params: { checks: ['thermal_drift'], thermalHotMs: 60_000 },
      signal: controller.signal,
      onProgress: (check) => {
        seen.push(check);
        controller.abort();
      },
    });
    await expect(p).rejects.toThrow(/cancelled/);
    expect(seen[0]).toBe('thermal_drift');
  });
});

describe('TypeScript fallback', () => {
  it('measures every check and says it is the fallback', async () => {
    const r = await measureFingerprint({
      forceFallback: true,
      params: { driftSamples: 40, thermalSamples: 10, thermalHotMs: 100, jitterSamples: 20, jitterOps: 2000 },
    });
    expect(r.fidelity).toBe('fallback');
    expect(r.fallbackReason).toBe('fallback requested');
    expect(Object.keys(r.fingerprint['checks'] as JsonObject).sort()).toEqual(Object.keys(A64_FIELDS).sort());
    expect(JSON.stringify(r.fingerprint)).not.toContain('fidelity');
    expect(ns(r.fingerprint, 'clock_drift', 'mean_ns')).toBeGreaterThan(0);
    expect((checkData(r.fingerprint, 'anti_emulation')['vm_indicators'] as string[]).length).toBeGreaterThan(0);
  });
});
