/**
 * The weight table of PROTOCOL.md B.1.5 in exact integer units (weight × 10^9). Written as decimal
 * strings and converted digit by digit so that no value ever passes through floating point.
 */

export const WEIGHT_UNIT = 1_000_000_000n;
/** Families absent from the table (SPARC, MIPS, RISC-V, …) earn 0.8. */
export const BASELINE_WEIGHT_UNITS = 800_000_000n;
/** Per-miner cap (weight 10,000). */
export const WEIGHT_CAP_UNITS = 10_000_000_000_000n;

/** "2.5" → 2_500_000_000n; at most 9 decimals. */
export function weightTextToUnits(text: string): bigint {
  const m = /^([0-9]+)(?:\.([0-9]{1,9}))?$/.exec(text);
  if (!m) throw new Error(`bad weight text ${text}`);
  const whole = BigInt(m[1] as string);
  const frac = BigInt((m[2] ?? '').padEnd(9, '0'));
  return whole * WEIGHT_UNIT + frac;
}

const TABLE_TEXT: Record<string, Record<string, string>> = {
  PowerPC: { G4: '2.5', G5: '2.0', G3: '1.8', power8: '2.0', POWER8: '2.0', power9: '1.5', default: '1.5' },
  'Apple Silicon': { M1: '1.2', M2: '1.2', M3: '1.1', M4: '1.05', default: '1.2' },
  ARM: {
    aarch64: '0.0005',
    armv7: '0.0005',
    default: '0.0005',
    arm2: '4.0',
    arm3: '3.8',
    arm6: '3.5',
    arm7: '3.0',
    arm7tdmi: '3.0',
    strongarm: '2.8',
    sa1100: '2.7',
    sa1110: '2.7',
    xscale: '2.5',
    arm9: '2.3',
    arm926ej: '2.3',
    arm11: '2.0',
    arm1176: '2.0',
    cortex_a8: '1.8',
    cortex_a9: '1.5',
  },
  x86: {
    retro: '1.4',
    core2: '1.3',
    core2duo: '1.3',
    nehalem: '1.2',
    sandy_bridge: '1.1',
    sandybridge: '1.1',
    ivy_bridge: '1.1',
    ivybridge: '1.1',
    haswell: '1.05',
    broadwell: '1.05',
    pentium_m: '1.9',
    pentium_m_banias: '1.9',
    pentium_m_dothan: '1.8',
    pentium_m_yonah: '1.6',
    pentium_iii: '2.0',
    pentium_ii: '2.2',
    pentium_pro: '2.3',
    pentium_mmx: '2.4',
    pentium: '1.5',
    pentium4: '1.5',
    pentium_d: '1.5',
    '486': '2.0',
    '386': '2.5',
    modern: '0.8',
    default: '1.0',
  },
  x86_64: { modern: '0.8', default: '0.8' },
  Windows: {
    default: '0.8',
    'Intel64 Family 6 Model 42': '1.1',
    'Intel64 Family 6 Model 58': '1.1',
    'Intel64 Family 6 Model 60': '1.05',
  },
  console: {
    nes_6502: '2.8',
    snes_65c816: '2.7',
    n64_mips: '2.5',
    genesis_68000: '2.5',
    gameboy_z80: '2.6',
    ps1_mips: '2.8',
    saturn_sh2: '2.6',
    gba_arm7: '2.3',
    default: '2.5',
  },
  MOS: { '6502': '2.5', '65c816': '2.4', default: '2.2' },
  Zilog: { z80: '2.3', default: '2.1' },
};

const TABLE: ReadonlyMap<string, ReadonlyMap<string, bigint>> = new Map(
  Object.entries(TABLE_TEXT).map(([family, archs]) => [
    family,
    new Map(Object.entries(archs).map(([arch, text]) => [arch, weightTextToUnits(text)])),
  ]),
);

/** `table[family][arch]`, else `table[family]["default"]`, else the 0.8 baseline. */
export function tableWeightUnits(family: string, arch: string): bigint {
  const archs = TABLE.get(family);
  if (archs === undefined) return BASELINE_WEIGHT_UNITS;
  return archs.get(arch) ?? archs.get('default') ?? BASELINE_WEIGHT_UNITS;
}

/** Weight units as the float weight the HTTP API shows (exact for every table entry). */
export function unitsToWeight(units: bigint): number {
  return Number(units) / 1e9;
}

/** `hardware_type` of `/api/miners` (PROTOCOL.md A.8.2). */
export function hardwareTypeLabel(family: string, arch: string): string {
  if (family === 'PowerPC') {
    return arch === 'G3' || arch === 'G4' || arch === 'G5' ? `PowerPC ${arch} (Vintage)` : 'PowerPC (Vintage)';
  }
  if (family === 'Apple Silicon') return 'Apple Silicon (Modern)';
  if (family === 'x86') return arch === 'modern' ? 'x86-64 (Modern)' : 'x86 Retro (Vintage)';
  return 'Unknown/Other';
}
