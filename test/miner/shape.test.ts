import { describe, expect, it } from 'vitest';
import { canonicalJson, type JsonObject } from '../../src-main/protocol/canonical-json.js';
import {
  shapeAntiEmulation,
  shapeCacheTiming,
  shapeClockDrift,
  shapeFingerprint,
  shapeInstructionJitter,
  shapeSimdIdentity,
  shapeThermalDrift,
} from '../../src-main/miner/fingerprint/shape.js';
import type { RawCacheTiming } from '../../src-main/miner/fingerprint/raw.js';

function cache(l1: number, l2: number, l3: number, arch = 'x86_64'): RawCacheTiming {
  return {
    arch,
    l1_ns: l1,
    l2_ns: l2,
    l3_ns: l3,
    mem_ns: l3 * 2,
    l1_bytes: 1,
    l2_bytes: 2,
    l3_bytes: 3,
    line_bytes: 64,
    sizes_source: 'test',
    sweep: [],
  };
}

describe('A.6.4 shaping', () => {
  it('rounds floats to the stated decimals and keeps them floats (2 → 2.0)', () => {
    const c = shapeCacheTiming(cache(1.5, 3, 6.123456));
    expect(canonicalJson(c)).toBe(
      '{"data":{"arch":"x86_64","l1_ns":1.5,"l2_l1_ratio":2.0,"l2_ns":3.0,"l3_l2_ratio":2.041,"l3_ns":6.12},"passed":true}',
    );
  });

  it('truncates integer fields toward zero and rounds cv to 6 decimals', () => {
    const d = shapeClockDrift({ mean_ns: 1000.9, stdev_ns: 12.7, cv: 0.0127123456, drift_stdev: 15.2, samples: 200 });
    expect(canonicalJson(d)).toBe(
      '{"data":{"cv":0.012712,"drift_stdev":15,"mean_ns":1000,"samples":200,"stdev_ns":12},"passed":true}',
    );
  });

  it('applies the client-side fail rules with their reasons', () => {
    expect(
      (shapeClockDrift({ mean_ns: 10, stdev_ns: 0, cv: 0, drift_stdev: 3, samples: 200 })['data'] as JsonObject)[
        'fail_reason'
      ],
    ).toBe('synthetic_timing');
    expect(
      (shapeClockDrift({ mean_ns: 10, stdev_ns: 1, cv: 0.1, drift_stdev: 0.4, samples: 200 })['data'] as JsonObject)[
        'fail_reason'
      ],
    ).toBe('no_drift');
    const flat = shapeCacheTiming(cache(5, 5, 5));
    expect(flat['passed']).toBe(false);
    expect((flat['data'] as JsonObject)['fail_reason']).toBe('no_cache_hierarchy');
    const ppc = shapeCacheTiming(cache(5, 5, 5, 'ppc'));
    expect(ppc['passed']).toBe(true);
    expect((ppc['data'] as JsonObject)['measurement']).toBe('inconclusive_on_this_arch');
    expect((shapeCacheTiming(cache(0.001, 3, 6))['data'] as JsonObject)['fail_reason']).toBe('zero_latency');
    expect(shapeSimdIdentity({ arch: 'x86_64', flags: [], source: 'cpuid' })['passed']).toBe(false);
    expect(
      shapeThermalDrift({
        cold_avg_ns: 5,
        hot_avg_ns: 5,
        cold_stdev: 0.2,
        hot_stdev: 0.9,
        hot_phase_ms: 1,
        sensors_cold: [],
        sensors_hot: [],
      })['passed'],
    ).toBe(false);
    expect(
      shapeInstructionJitter({
        int_avg_ns: 1,
        fp_avg_ns: 1,
        branch_avg_ns: 1,
        int_stdev: 0,
        fp_stdev: 0,
        branch_stdev: 0,
      })['passed'],
    ).toBe(false);
  });

  it('derives SIMD booleans from measured flags only', () => {
    const s = shapeSimdIdentity({
      arch: 'AArch64',
      flags: ['fp', 'asimd', 'aes', 'pmull', 'sha1', 'sha2', 'crc32', 'fphp', 'asimdhp', 'asimddp', 'sve'],
      source: 'hwcap',
    });
    expect(s['data']).toEqual({
      arch: 'aarch64',
      simd_flags_count: 11,
      has_sse: false,
      has_avx: false,
      has_altivec: false,
      has_neon: true,
      sample_flags: ['fp', 'asimd', 'aes', 'pmull', 'sha1', 'sha2', 'crc32', 'fphp', 'asimdhp', 'asimddp'],
    });
  });

  it('sorts and de-duplicates VM indicators; all_passed needs every check', () => {
    const a = shapeAntiEmulation({ vm_indicators: ['x:b', 'x:a', 'x:b'], paths_checked: ['/p'] });
    expect(a['data']).toEqual({
      vm_indicators: ['x:a', 'x:b'],
      indicator_count: 2,
      is_likely_vm: true,
      paths_checked: ['/p'],
    });
    const clean = shapeFingerprint({
      anti_emulation: { vm_indicators: [], paths_checked: [] },
      cache_timing: cache(1, 4, 40),
    });
    expect(clean['all_passed']).toBe(true);
    const dirty = shapeFingerprint({
      anti_emulation: { vm_indicators: ['cpuinfo:hypervisor'], paths_checked: [] },
      cache_timing: cache(1, 4, 40),
    });
    expect(dirty['all_passed']).toBe(false);
  });
});
