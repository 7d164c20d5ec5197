/**
 * Device derivation of PROTOCOL.md B.1.2: family and arch come from evidence (machine, SIMD flags, CPU
 * brand), never from the miner's claims, which only decide whether a PowerPC proof is required.
 */
import type { JsonObject, JsonValue } from '../canonical-json.js';
import { isJsonObject } from '../canonical-json.js';
import { asciiLower, asciiWords, own, str } from './text-rules.js';

export interface DerivedDevice {
  family: string;
  arch: string;
  /** A PowerPC claim without the evidence to back it (reason `powerpc_claim_unproven`). */
  powerpcUnproven: boolean;
}

/** The inputs of B.1.1 that both the derivation and the check rules read. */
export interface FingerprintView {
  device: JsonObject;
  signals: JsonObject;
  checks: JsonObject;
}

const ARM_MACHINES = new Set(['aarch64', 'arm64', 'armv8l', 'armv8', 'armv7l', 'armv7', 'armv6l', 'armhf', 'arm']);
const ARMV7_MACHINES = new Set(['armv7l', 'armv7', 'armv6l', 'armhf', 'arm']);
const ARM_WORDS = new Set([
  'arm',
  'aarch64',
  'cortex',
  'neoverse',
  'apple',
  'broadcom',
  'allwinner',
  'rockchip',
  'amlogic',
  'qualcomm',
  'snapdragon',
  'mediatek',
  'exynos',
  'graviton',
  'ampere',
  'kunpeng',
  'phytium',
  'cavium',
  'thunderx',
  'a64fx',
  'strongarm',
  'xscale',
  'armv6',
  'armv7',
  'armv8',
]);
const X86_WORDS = new Set([
  'intel',
  'xeon',
  'core',
  'celeron',
  'pentium',
  'amd',
  'ryzen',
  'epyc',
  'athlon',
  'threadripper',
  'opteron',
  'phenom',
  'turion',
  'sempron',
  'atom',
]);
const PPC_CLAIMED_ARCHS = new Set(['g3', 'g4', 'g5', 'power8', 'power9', 'powerpc', 'power macintosh']);
const PPC_MACHINES = new Set(['ppc', 'ppc64', 'ppc64le', 'powerpc', 'powerpc64', 'powerpc64le', 'power macintosh']);
const PPC_BRAND_MARKS = [
  'powerpc',
  'ppc',
  'ibm power',
  'power mac',
  '7447',
  '7448',
  '7450',
  '7455',
  '970',
  'power8',
  'power9',
  'g3',
  'g4',
  'g5',
  '750',
];
const NOT_G3_MARKS = ['7447', '7448', '7450', '7455', 'g4', 'g5', '970', 'power8', 'power9'];

const OTHER_ISAS: ReadonlyArray<[ReadonlySet<string>, string, string]> = [
  [new Set(['sparc', 'sparc64', 'sun4u', 'sun4v']), 'SPARC', 'sparc'],
  [new Set(['mips', 'mips64', 'mipsel', 'mips64el']), 'MIPS', 'mips'],
  [new Set(['riscv', 'riscv32', 'riscv64']), 'RISC-V', 'riscv'],
  [new Set(['m68k']), 'M68K', '68000'],
  [new Set(['ia64']), 'IA-64', 'itanium'],
  [new Set(['s390', 's390x']), 'S390', 's390'],
];

/** B.1.2 rule 4, in order; `requiresNoAvx` entries fall back to `modern` on an AVX machine. */
const X86_BRAND_RULES: ReadonlyArray<[RegExp, string]> = [
  [/core\(tm\)2|core 2 |core2/, 'core2'],
  [/pentium(\(r\))? m\b/, 'pentium_m'],
  [/pentium(\(r\))? 4\b/, 'pentium4'],
  [/pentium(\(r\))? iii\b/, 'pentium_iii'],
  [/pentium(\(r\))? ii\b/, 'pentium_ii'],
  [/pentium(\(r\))? pro\b/, 'pentium_pro'],
  [/pentium(\(r\))? mmx\b/, 'pentium_mmx'],
];
const CORE_I_RE = /core\(tm\) i[3579](?:-| cpu +)([0-9]{3,5})/;
const CORE_I_GENERATIONS: Record<string, string> = {
  '2': 'sandy_bridge',
  '3': 'ivy_bridge',
  '4': 'haswell',
  '5': 'broadwell',
};

export function checkEntry(checks: JsonObject, name: string): JsonValue | undefined {
  const v = own(checks, name);
  if (v === undefined && name === 'simd_identity') return own(checks, 'simd_bias');
  return v;
}

/** `data(name)` of B.1.1. */
export function checkData(checks: JsonObject, name: string): JsonObject {
  const entry = checkEntry(checks, name);
  if (!isJsonObject(entry)) return {};
  const data = own(entry, 'data');
  return isJsonObject(data) ? data : {};
}

function isTrue(v: JsonValue | undefined): boolean {
  return v === true;
}

export function brandText(device: JsonObject): string {
  const parts = ['cpu', 'model', 'device_model', 'brand'].map((k) => str(own(device, k))).filter((s) => s !== '');
  return asciiLower(parts.join(' '));
}

function containsAny(text: string, marks: readonly string[]): boolean {
  return marks.some((m) => text.includes(m));
}

function intersects(words: readonly string[], set: ReadonlySet<string>): boolean {
  return words.some((w) => set.has(w));
}

export function deriveDevice(view: FingerprintView): DerivedDevice {
  const { device, checks } = view;
  const machine = asciiLower(str(own(device, 'machine')));
  const brand = brandText(device);
  const words = asciiWords(brand);
  const claimedFamily = asciiLower(str(own(device, 'family')) || str(own(device, 'device_family')));
  const claimedArch = asciiLower(str(own(device, 'arch')) || str(own(device, 'device_arch')));
  const simd = checkData(checks, 'simd_identity');
  const hasSse = isTrue(own(simd, 'has_sse'));
  const hasAvx = isTrue(own(simd, 'has_avx'));
  const hasAltivec = ['has_altivec', 'altivec', 'vsx', 'vec_perm'].some((k) => isTrue(own(simd, k)));
  const hasNeon = isTrue(own(simd, 'has_neon'));
  const simdArch = asciiLower(str(own(simd, 'arch')));

  // 1. ARM evidence overrides every x86 claim, brand or SIMD flag.
  if (ARM_MACHINES.has(machine) || ARM_MACHINES.has(simdArch) || hasNeon || intersects(words, ARM_WORDS)) {
    const apple = /apple m([1-9][0-9]*)/.exec(brand);
    if (apple) {
      const generation = apple[1] as string;
      const known = generation === '1' || generation === '2' || generation === '3' || generation === '4';
      return { family: 'Apple Silicon', arch: known ? `M${generation}` : 'default', powerpcUnproven: false };
    }
    const armv7 = ARMV7_MACHINES.has(machine) || (machine === '' && ARMV7_MACHINES.has(simdArch));
    return { family: 'ARM', arch: armv7 ? 'armv7' : 'aarch64', powerpcUnproven: false };
  }

  // 2. A PowerPC claim must be proven by the brand and the vector unit.
  if (
    claimedFamily.includes('powerpc') ||
    claimedFamily.includes('ppc') ||
    PPC_CLAIMED_ARCHS.has(claimedArch) ||
    PPC_MACHINES.has(machine)
  ) {
    const isG3 = (brand.includes('750') || brand.includes('g3')) && !containsAny(brand, NOT_G3_MARKS);
    const proven =
      containsAny(brand, PPC_BRAND_MARKS) &&
      !intersects(words, X86_WORDS) &&
      (hasAltivec || isG3) &&
      !hasSse &&
      !hasAvx;
    if (!proven) return { family: 'PowerPC', arch: 'unverified', powerpcUnproven: true };
    return { family: 'PowerPC', arch: powerpcArch(brand), powerpcUnproven: false };
  }

  // 3. Other ISAs, by machine only.
  for (const [machines, family, arch] of OTHER_ISAS) {
    if (machines.has(machine)) return { family, arch, powerpcUnproven: false };
  }
  if (/^sh[0-9a-z]*$/.test(machine)) return { family: 'SuperH', arch: machine, powerpcUnproven: false };

  // 4. Everything else is x86; the arch comes from the brand alone.
  return { family: 'x86', arch: x86Arch(brand, hasAvx), powerpcUnproven: false };
}

function powerpcArch(brand: string): string {
  if (brand.includes('power9')) return 'power9';
  if (brand.includes('power8')) return 'POWER8';
  if (brand.includes('970') || brand.includes('g5')) return 'G5';
  if (containsAny(brand, ['7447', '7448', '7450', '7455', 'g4'])) return 'G4';
  if (brand.includes('750') || brand.includes('g3')) return 'G3';
  return 'default';
}

function x86Arch(brand: string, hasAvx: boolean): string {
  for (const [re, arch] of X86_BRAND_RULES) {
    if (re.test(brand)) return hasAvx ? 'modern' : arch;
  }
  const coreI = CORE_I_RE.exec(brand);
  if (coreI) {
    const model = coreI[1] as string;
    if (model.length === 3) return hasAvx ? 'modern' : 'nehalem';
    if (model.length === 4) return CORE_I_GENERATIONS[model[0] as string] ?? 'modern';
  }
  return 'modern';
}
