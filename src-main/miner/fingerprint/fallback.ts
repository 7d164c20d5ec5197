/**
 * Lower-fidelity fingerprint for when the native addon cannot load: the same six checks measured from
 * JavaScript with process.hrtime.bigint() and OS files. JIT and garbage collection add noise, cache
 * latencies include interpreter overhead, and CPUID is out of reach (SIMD flags come from
 * /proc/cpuinfo), so callers mark the result `fidelity: 'fallback'` (never inside the fingerprint JSON).
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { machine } from 'node:os';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import {
  DEFAULT_PARAMS,
  MeasurementCancelled,
  type CheckName,
  type MeasureParams,
  type ProgressListener,
  type RawAntiEmulation,
  type RawCacheTiming,
  type RawChecks,
  type RawMeasurement,
  type RawSimdIdentity,
  type ThermalZoneReading,
} from './raw.js';

/** Work is scaled down: hashing through node:crypto costs ~5× the native loop per call. */
const FALLBACK_SCALE = { driftHashes: 1000, thermalHashes: 2000, cacheRuns: 20 } as const;

function nowNs(): bigint {
  return process.hrtime.bigint();
}

function mean(v: number[]): number {
  return v.length === 0 ? 0 : v.reduce((a, b) => a + b, 0) / v.length;
}

function stdev(v: number[]): number {
  if (v.length < 2) return 0;
  const m = mean(v);
  return Math.sqrt(v.reduce((a, x) => a + (x - m) ** 2, 0) / (v.length - 1));
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

class Run {
  constructor(
    readonly p: Required<Omit<MeasureParams, 'checks'>>,
    private readonly signal: AbortSignal | undefined,
    private readonly onProgress: ProgressListener | undefined,
  ) {}

  /** Between samples: honours cancellation, the duty cycle, and lets the event loop breathe. */
  async pace(workNs: number, check: CheckName, fraction: number): Promise<void> {
    if (this.signal?.aborted) throw new MeasurementCancelled();
    this.onProgress?.(check, fraction);
    if (this.p.duty < 1) await new Promise((r) => setTimeout(r, (workNs * (1 - this.p.duty)) / this.p.duty / 1e6));
    else await yieldToLoop();
  }

  timeHashes(prefix: string, count: number): number {
    const msg = Buffer.alloc(16);
    msg.write(prefix, 'ascii');
    const t0 = nowNs();
    let d = msg;
    for (let k = 0; k < count; k++)
      d = createHash('sha256')
        .update(k === 0 ? msg : d.subarray(0, 16))
        .digest();
    const ns = Number(nowNs() - t0);
    if (d.length !== 32) throw new Error('unreachable');
    return ns;
  }

  async clockDrift(): Promise<RawChecks['clock_drift']> {
    const n = this.p.driftSamples;
    const durations: number[] = [];
    for (let i = 0; i < n; i++) {
      const ns = this.timeHashes(`drift_${i}`, FALLBACK_SCALE.driftHashes);
      durations.push(ns);
      if (i % 50 === 0) await new Promise((r) => setTimeout(r, 1));
      await this.pace(ns, 'clock_drift', i / n);
    }
    const diffs = durations.slice(1).map((d, i) => d - (durations[i] as number));
    const m = mean(durations);
    const s = stdev(durations);
    return { mean_ns: m, stdev_ns: s, cv: m > 0 ? s / m : 0, drift_stdev: stdev(diffs), samples: n, timer: 'hrtime' };
  }

  async chase(bytes: number, runs: number): Promise<number> {
    const slots = Math.max(2, Math.floor(bytes / 64));
    const stride = 16; // 16 Int32 = one 64-byte line per hop
    const ring = new Int32Array(slots * stride);
    const order = Array.from({ length: slots }, (_, i) => i);
    for (let i = slots - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    for (let i = 0; i < slots; i++) ring[(order[i] as number) * stride] = (order[(i + 1) % slots] as number) * stride;
    const loads = this.p.cacheLoads;
    const perLoad: number[] = [];
    let p = 0;
    for (let r = 0; r < runs; r++) {
      const t0 = nowNs();
      for (let i = 0; i < loads; i++) p = ring[p] as number;
      const ns = Number(nowNs() - t0);
      perLoad.push(ns / loads);
      await this.pace(ns, 'cache_timing', 0);
    }
    if (p < 0) throw new Error('unreachable');
    perLoad.sort((a, b) => a - b);
    return perLoad[Math.floor(perLoad.length / 2)] as number;
  }

  cacheSizes(): { l1: number; l2: number; l3: number; source: string } {
    const sizes = { l1: 0, l2: 0, l3: 0, source: 'default' };
    for (let i = 0; i < 8; i++) {
      const base = `/sys/devices/system/cpu/cpu0/cache/index${i}/`;
      const level = readText(base + 'level')?.trim();
      if (level === undefined) break;
      if (readText(base + 'type')?.trim() === 'Instruction') continue;
      const m = /^(\d+)([KM]?)/.exec(readText(base + 'size')?.trim() ?? '');
      const size = m ? Number(m[1]) * (m[2] === 'K' ? 1024 : m[2] === 'M' ? 1 << 20 : 1) : 0;
      if (level === '1') sizes.l1 = size;
      if (level === '2') sizes.l2 = size;
      if (level === '3') sizes.l3 = size;
      sizes.source = 'sysfs';
    }
    if (sizes.l1 === 0) Object.assign(sizes, { l1: 16 << 10, l2: 256 << 10, l3: 8 << 20, source: 'default' });
    if (sizes.l2 === 0) sizes.l2 = sizes.l1 * 16;
    return sizes;
  }

  async cacheTiming(): Promise<RawCacheTiming> {
    const s = this.cacheSizes();
    const l3Target = Math.min(s.l3 > 0 ? s.l3 / 2 : s.l2 * 4, 64 << 20);
    const runs = FALLBACK_SCALE.cacheRuns;
    const l1 = await this.chase(s.l1 / 2, runs);
    const l2 = await this.chase(s.l2 / 2, runs);
    const l3 = await this.chase(l3Target, runs);
    const memBytes = Math.min(Math.max((s.l3 || s.l2) * 2, 32 << 20), 128 << 20);
    const mem = await this.chase(memBytes, 5);
    return {
      arch: machine().toLowerCase(),
      l1_ns: l1,
      l2_ns: l2,
      l3_ns: l3,
      mem_ns: mem,
      l1_bytes: s.l1,
      l2_bytes: s.l2,
      l3_bytes: s.l3,
      line_bytes: 64,
      sizes_source: s.source,
      timer: 'hrtime',
      sweep: [
        { bytes: s.l1 / 2, ns: l1 },
        { bytes: s.l2 / 2, ns: l2 },
        { bytes: l3Target, ns: l3 },
        { bytes: memBytes, ns: mem },
      ],
    };
  }

  simdIdentity(): RawSimdIdentity {
    const cpuinfo = readText('/proc/cpuinfo') ?? '';
    const line = /^(?:flags|Features)\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? '';
    const known = /^(sse|sse2|pni|ssse3|sse4_1|sse4_2|avx|avx2|avx512f|fp|asimd|neon|altivec|vsx)$/;
    const flags = line.split(/\s+/).filter((f) => known.test(f));
    return { arch: machine().toLowerCase(), flags, source: cpuinfo ? '/proc/cpuinfo' : 'none' };
  }

  sensors(): ThermalZoneReading[] {
    const out: ThermalZoneReading[] = [];
    let zones: string[] = [];
    try {
      zones = readdirSync('/sys/class/thermal').filter((z) => z.startsWith('thermal_zone'));
    } catch {
      return out;
    }
    for (const z of zones) {
      const t = readText(`/sys/class/thermal/${z}/temp`);
      if (t !== null)
        out.push({ zone: readText(`/sys/class/thermal/${z}/type`)?.trim() ?? z, millicelsius: Number(t.trim()) });
    }
    return out;
  }

  async thermalSamples(from: number): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i < this.p.thermalSamples; i++) {
      const ns = this.timeHashes('therm', FALLBACK_SCALE.thermalHashes);
      out.push(ns);
      await this.pace(ns, 'thermal_drift', from + (0.33 * i) / this.p.thermalSamples);
    }
    return out;
  }

  async thermalDrift(): Promise<RawChecks['thermal_drift']> {
    const sensorsCold = this.sensors();
    const cold = await this.thermalSamples(0);
    const end = nowNs() + BigInt(this.p.thermalHotMs) * 1_000_000n;
    while (nowNs() < end) {
      const ns = this.timeHashes('hot', 500);
      await this.pace(ns, 'thermal_drift', 0.5);
    }
    const hot = await this.thermalSamples(0.66);
    return {
      cold_avg_ns: mean(cold),
      hot_avg_ns: mean(hot),
      cold_stdev: stdev(cold),
      hot_stdev: stdev(hot),
      hot_phase_ms: this.p.thermalHotMs,
      sensors_cold: sensorsCold,
      sensors_hot: this.sensors(),
    };
  }

  async jitterSeries(work: (seed: number) => number, fraction: number): Promise<number[]> {
    const out: number[] = [];
    let sink = 0;
    for (let i = 0; i < this.p.jitterSamples; i++) {
      const t0 = nowNs();
      sink ^= work(i);
      const ns = Number(nowNs() - t0);
      out.push(ns);
      await this.pace(ns, 'instruction_jitter', fraction);
    }
    if (Number.isNaN(sink)) throw new Error('unreachable');
    return out;
  }

  async instructionJitter(): Promise<RawChecks['instruction_jitter']> {
    const ops = this.p.jitterOps;
    const ints = await this.jitterSeries((seed) => {
      let x = seed + 1;
      for (let k = 0; k < ops; k++) x = (x * 7 + 13) % 65537;
      return x;
    }, 0);
    const fps = await this.jitterSeries((seed) => {
      let x = 1 + seed;
      for (let k = 0; k < ops; k++) x = (x * 1.414 + 0.5) % 1000.0;
      return Math.trunc(x);
    }, 0.33);
    const branches = await this.jitterSeries((seed) => {
      let s = (0x9e3779b9 ^ (seed + 1)) >>> 0;
      let taken = 0;
      for (let k = 0; k < ops; k++) {
        s ^= s << 13;
        s ^= s >>> 17;
        s ^= s << 5;
        if (s & 1) taken += 3;
        else taken ^= 5;
      }
      return taken;
    }, 0.66);
    return {
      int_avg_ns: mean(ints),
      fp_avg_ns: mean(fps),
      branch_avg_ns: mean(branches),
      int_stdev: stdev(ints),
      fp_stdev: stdev(fps),
      branch_stdev: stdev(branches),
    };
  }

  antiEmulation(): RawAntiEmulation {
    return linuxVmEvidence();
  }
}

const DMI_TOKENS = [
  'vmware', 'virtualbox', 'virtual machine', 'kvm', 'qemu', 'xen', 'hyperv', 'hyper-v', 'parallels', 'bhyve',
  'amazon', 'amazon ec2', 'ec2', 'nitro', 'google compute engine', 'gce', 'azure', 'digitalocean', 'linode',
  'akamai', 'vultr', 'hetzner', 'oraclecloud', 'ovh', 'ovhcloud', 'alibaba', 'alicloud', 'bochs', 'innotek', 'seabios',
]; // prettier-ignore

/** The D.4 Linux sources that need no CPUID (the addon also reads the CPUID hypervisor leaves). */
export function linuxVmEvidence(env: NodeJS.ProcessEnv = process.env): RawAntiEmulation {
  const found = new Set<string>();
  const paths: string[] = [];
  const scan = (source: string, text: string | null): void => {
    if (text === null) return;
    const t = text.toLowerCase();
    for (const tok of DMI_TOKENS) if (t.includes(tok)) found.add(`${source}:${tok}`);
  };
  if (process.platform === 'linux') {
    for (const name of [
      'product_name',
      'sys_vendor',
      'board_vendor',
      'board_name',
      'bios_vendor',
      'chassis_vendor',
      'chassis_asset_tag',
    ]) {
      paths.push(`/sys/class/dmi/id/${name}`);
      scan(`dmi:${name}`, readText(`/sys/class/dmi/id/${name}`));
    }
    paths.push('/proc/scsi/scsi');
    scan('scsi', readText('/proc/scsi/scsi'));
    paths.push('/proc/cpuinfo');
    const flags = /^flags\s*:\s*(.*)$/m.exec(readText('/proc/cpuinfo') ?? '')?.[1] ?? '';
    if (flags.split(/\s+/).includes('hypervisor')) found.add('cpuinfo:hypervisor');
    paths.push('/sys/hypervisor/type');
    const hv = readText('/sys/hypervisor/type')?.trim();
    if (hv) found.add(`sys_hypervisor:${hv.toLowerCase()}`);
    paths.push('systemd-detect-virt');
    const virt = detectVirt();
    if (virt && virt !== 'none') found.add(`systemd_detect_virt:${virt.toLowerCase()}`);
    paths.push('/.dockerenv');
    if (existsSync('/.dockerenv')) found.add('container:dockerenv');
    paths.push('/proc/1/cgroup');
    const cg = (readText('/proc/1/cgroup') ?? '').toLowerCase();
    if (['docker', 'kubepods', 'lxc', 'containerd'].some((t) => cg.includes(t))) found.add('container:cgroup');
  }
  for (const name of ['KUBERNETES_SERVICE_HOST', 'container']) {
    paths.push(`env:${name}`);
    if (env[name] !== undefined) found.add(`ENV:${name}`);
  }
  return { vm_indicators: [...found].sort(), paths_checked: paths };
}

function detectVirt(): string | null {
  try {
    return execFileSync('systemd-detect-virt', [], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5000,
    }).trim();
  } catch (e) {
    // it exits 1 and prints "none" on bare metal
    const out = (e as { stdout?: string }).stdout;
    return typeof out === 'string' ? out.trim() : null;
  }
}

export async function measureFallback(
  params: MeasureParams = {},
  onProgress?: ProgressListener,
  signal?: AbortSignal,
): Promise<RawMeasurement> {
  const p = { ...DEFAULT_PARAMS, ...params };
  const run = new Run(p, signal, onProgress);
  const wanted = new Set<CheckName>(
    params.checks ?? [
      'clock_drift',
      'cache_timing',
      'simd_identity',
      'thermal_drift',
      'instruction_jitter',
      'anti_emulation',
    ],
  );
  const checks: RawChecks = {};
  const elapsed: RawMeasurement['elapsed_ns'] = {};
  const timed = async <K extends CheckName>(name: K, fn: () => Promise<RawChecks[K]> | RawChecks[K]): Promise<void> => {
    if (!wanted.has(name)) return;
    const t0 = nowNs();
    checks[name] = await fn();
    elapsed[name] = Number(nowNs() - t0);
    onProgress?.(name, 1);
  };
  await timed('clock_drift', () => run.clockDrift());
  await timed('cache_timing', () => run.cacheTiming());
  await timed('simd_identity', () => run.simdIdentity());
  await timed('thermal_drift', () => run.thermalDrift());
  await timed('instruction_jitter', () => run.instructionJitter());
  await timed('anti_emulation', () => run.antiEmulation());
  return {
    checks,
    elapsed_ns: elapsed,
    timer: 'process.hrtime.bigint',
    loop_timer: 'process.hrtime.bigint',
    machine: machine().toLowerCase(),
  };
}
