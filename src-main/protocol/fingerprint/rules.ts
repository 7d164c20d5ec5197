/**
 * Fingerprint verdict of PROTOCOL.md B.1.3 and the VM token scan of B.1.4. Pure: every node gets the
 * same result for the same attestation, whatever its language or Unicode version.
 */
import type { JsonObject, JsonValue } from '../canonical-json.js';
import { isFloatValue, isIntValue, isJsonObject } from '../canonical-json.js';
import { compareByteOrder } from '../byte-order.js';
import { checkData, checkEntry, deriveDevice, type FingerprintView } from './device.js';
import { asciiLower, own, str } from './text-rules.js';
import { tableWeightUnits } from './weights.js';

export interface FingerprintInput {
  device: JsonValue | undefined;
  signals: JsonValue | undefined;
  fingerprint: JsonValue | undefined;
}

export interface FingerprintVerdict {
  passed: boolean;
  reasons: string[];
  deviceFamily: string;
  deviceArch: string;
  /** Table weight of the derived device, or 0 when the fingerprint failed. */
  weightUnits: bigint;
}

const VM_TOKENS = [
  'amazon ec2',
  'aws',
  'azure',
  'basilisk',
  'bhyve',
  'bochs',
  'citrix',
  'containerd',
  'crio',
  'dell emc',
  'digitalocean',
  'docker',
  'esxi',
  'fs-uae',
  'gce',
  'google compute',
  'hatari',
  'hyper-v',
  'hyperv',
  'ibm lpar',
  'ibm systemz',
  'ibm z',
  'kvm',
  'linode',
  'lxc',
  'lxd',
  'microsoft virtual',
  'mini vmac',
  'openvz',
  'oracle vm',
  'parallels',
  'pearpc',
  'podman',
  'powervm',
  'pr/sm',
  'proxmox',
  'pve',
  'qemu',
  'qemu-system-ppc',
  'sheepshaver',
  'steem',
  'systemd-nspawn',
  'uae',
  'vbox',
  'virtual pc',
  'virtualbox',
  'virtuozzo',
  'vmw',
  'vmware',
  'vpc',
  'vsphere',
  'vultr',
  'vxrail',
  'winuae',
  'xen',
  'xenserver',
  'z/vm',
];

/** Short plain tokens match whole words only (`laws-pc` is clean); the rest match as substrings. */
const WORD_TOKENS = VM_TOKENS.filter((t) => t.length < 5 && /^[a-z0-9]+$/.test(t));
const SUBSTRING_TOKENS = VM_TOKENS.filter((t) => !WORD_TOKENS.includes(t));

/** Checks judged by their own rules (1–11) rather than by rule 13. */
const SPECIAL_CHECKS = new Set(['anti_emulation', 'clock_drift', 'cache_timing']);

export function vmTokensIn(text: string): string[] {
  const lower = asciiLower(text);
  const found: string[] = SUBSTRING_TOKENS.filter((t) => lower.includes(t));
  const words = new Set(lower.split(/[^a-z0-9]+/));
  for (const t of WORD_TOKENS) if (words.has(t)) found.push(t);
  return found;
}

/** An object with a `passed` key and a non-empty object as `data`. */
function isStructured(entry: JsonValue | undefined): entry is JsonObject {
  if (!isJsonObject(entry) || own(entry, 'passed') === undefined) return false;
  const data = own(entry, 'data');
  return isJsonObject(data) && Object.keys(data).length > 0;
}

/** A finite JSON number as a double, or undefined (strings and booleans are not numbers). */
function finiteNumber(v: JsonValue | undefined): number | undefined {
  if (isFloatValue(v)) return typeof v === 'number' ? v : v.value;
  if (isIntValue(v)) return Number(v);
  return undefined;
}

function asObject(v: JsonValue | undefined): JsonObject {
  return isJsonObject(v) ? v : {};
}

export function validateFingerprint(input: FingerprintInput): FingerprintVerdict {
  const device = asObject(input.device);
  const signals = asObject(input.signals);
  const checks = asObject(own(asObject(input.fingerprint), 'checks'));
  const view: FingerprintView = { device, signals, checks };
  const derived = deriveDevice(view);
  const reasons: string[] = [];

  const anti = checkEntry(checks, 'anti_emulation');
  if (anti === undefined) {
    reasons.push('missing_required_check:anti_emulation');
  } else if (!isStructured(anti)) {
    reasons.push('missing_evidence:anti_emulation');
  } else {
    const data = checkData(checks, 'anti_emulation');
    const vm = own(data, 'vm_indicators');
    const emulators = own(data, 'emulator_indicators');
    if (!Array.isArray(vm)) reasons.push('anti_emulation_no_evidence');
    if (
      (Array.isArray(vm) && vm.length > 0) ||
      (Array.isArray(emulators) && emulators.length > 0) ||
      own(data, 'is_likely_vm') === true
    ) {
      reasons.push('vm_detected');
    }
    if (own(anti, 'passed') !== true) reasons.push('anti_emulation_failed');
  }

  const drift = checkEntry(checks, 'clock_drift');
  const cv = finiteNumber(own(checkData(checks, 'clock_drift'), 'cv'));
  if (drift === undefined) {
    if (derived.family !== 'PowerPC') reasons.push('missing_required_check:clock_drift');
  } else if (!isStructured(drift)) {
    reasons.push('missing_evidence:clock_drift');
  } else {
    if (cv === undefined) reasons.push('clock_drift_no_evidence');
    else if (cv < 0.0001) reasons.push('timing_too_uniform');
    if (own(drift, 'passed') !== true) reasons.push('clock_drift_failed');
  }
  if (derived.family === 'PowerPC' && cv !== undefined && cv < 0.005) reasons.push('vintage_timing_too_stable');
  if (derived.powerpcUnproven) reasons.push('powerpc_claim_unproven');

  const failed = Object.keys(checks)
    .filter((name) => {
      if (SPECIAL_CHECKS.has(name)) return false;
      const v = checks[name];
      return v === false || (isJsonObject(v) && own(v, 'passed') === false);
    })
    .sort(compareByteOrder);
  if (failed.length > 0) reasons.push(`checks_failed:${failed.join(',')}`);

  const tokens = new Set([...vmTokensIn(str(own(signals, 'hostname'))), ...vmTokensIn(str(own(device, 'cpu')))]);
  if (tokens.size > 0) reasons.push(`server_vm_check:${[...tokens].sort(compareByteOrder).join(',')}`);

  const passed = reasons.length === 0;
  return {
    passed,
    reasons,
    deviceFamily: derived.family,
    deviceArch: derived.arch,
    weightUnits: passed ? tableWeightUnits(derived.family, derived.arch) : 0n,
  };
}
