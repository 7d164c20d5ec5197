/** Plain-words text for the Mining page: the status line and why a check or the weight is what it is. */
import type { MinerStatus } from '../../../src-main/app/contract.js';

export function ago(seconds: number): string {
  if (seconds < 60) return `${Math.max(0, Math.round(seconds))} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

export function statusLine(s: MinerStatus, nowSeconds: number): string {
  if (s.state === 'stopped') return 'Not mining.';
  if (s.state === 'unavailable') return 'The miner is not available in this build.';
  const parts: string[] = [];
  if (s.lastAttestedAt !== null) parts.push(`Attested ${ago(nowSeconds - s.lastAttestedAt)} ago`);
  else parts.push(s.activity ? `Starting: ${s.activity}` : 'Starting');
  if (s.nextAttestAt !== null && s.nextAttestAt > nowSeconds) parts.push(`next in ${ago(s.nextAttestAt - nowSeconds)}`);
  if (s.enrolledEpoch !== null)
    parts.push(`enrolled in epoch ${s.enrolledEpoch} with weight ${formatWeight(s.enrolledWeight ?? 0)}`);
  let line = parts.join(', ') + '.';
  if (s.state === 'error' && s.message) line += ` Last problem: ${s.message}.`;
  return line;
}

export function formatWeight(w: number): string {
  return `${Number(w.toFixed(4))}×`;
}

/** What a failed check usually means, keyed by the D.4 check name. */
export const CHECK_HELP: Record<string, { label: string; failed: string }> = {
  clock_drift: {
    label: 'Clock drift',
    failed: 'The timer runs too evenly (or too erratically) for real oscillator hardware; typical of emulated clocks.',
  },
  cache_timing: {
    label: 'Cache timing',
    failed: 'Memory latency does not step up between cache levels the way physical caches do.',
  },
  simd_identity: {
    label: 'SIMD identity',
    failed: 'The vector instruction set reported by the CPU is missing or inconsistent with its architecture.',
  },
  thermal_drift: {
    label: 'Thermal drift',
    failed: 'Timing does not change under load the way a physically heating chip does.',
  },
  instruction_jitter: {
    label: 'Instruction jitter',
    failed: 'Instruction timings are too uniform for a real pipeline.',
  },
  anti_emulation: {
    label: 'Anti-emulation',
    failed: 'Virtual-machine or emulator signs were found (hypervisor flag, VM vendor strings or devices).',
  },
};

export function explainWeight(s: MinerStatus): string {
  const device = s.deviceFamily ? `${s.deviceFamily}${s.deviceArch ? ` / ${s.deviceArch}` : ''}` : 'this device';
  const w = s.enrolledWeight ?? s.lastWeight;
  if (w === null) return 'The weight is known after the first accepted attestation.';
  if (w === 0) {
    const why = s.reasons.length > 0 ? s.reasons.join('; ') : 'the fingerprint did not pass';
    return `The node gives ${device} weight 0 (${why}). Virtual machines and emulators earn nothing: rewards go to real, physical hardware, and this rule is never relaxed.`;
  }
  return `The node's table gives ${device} a multiplier; with the fingerprint passing, the weight is ${formatWeight(w)}. Older and rarer hardware earns more (B.1.5).`;
}
