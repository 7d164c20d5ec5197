/**
 * Hardware identity of PROTOCOL.md B.2 and the identifier hashing of D.3 (what our miner sends instead
 * of raw serial numbers and MAC addresses when it mines on our chain).
 */
import type { JsonObject, JsonValue } from '../canonical-json.js';
import { canonicalJson, isFloatValue, isIntValue, isJsonObject } from '../canonical-json.js';
import { sha256Hex } from '../bytes.js';
import { compareByteOrder } from '../byte-order.js';
import { asciiLower, asciiTrim, asciiUpper, own } from './text-rules.js';

export interface HardwareIdInput extends JsonObject {
  arch: string;
  cores: number | bigint;
  macs: string[];
  serial: string;
}

function asObject(v: JsonValue | undefined): JsonObject {
  return isJsonObject(v) ? v : {};
}

/** First non-empty of device.serial_number, device.serial, signals.serial; trimmed, upper-cased. */
export function normaliseSerial(device: JsonValue | undefined, signals: JsonValue | undefined): string {
  const candidates = [
    own(asObject(device), 'serial_number'),
    own(asObject(device), 'serial'),
    own(asObject(signals), 'serial'),
  ];
  for (const c of candidates) {
    if (typeof c !== 'string') continue;
    const trimmed = asciiTrim(c);
    if (trimmed !== '') return asciiUpper(trimmed);
  }
  return '';
}

/** A MAC with separators and ASCII whitespace removed, lower-cased; null unless 12 hex digits remain. */
export function normaliseMac(mac: string): string | null {
  const m = asciiLower(mac.replace(/[:\-. \t\r\n]/g, ''));
  return /^[0-9a-f]{12}$/.test(m) ? m : null;
}

export function normaliseMacs(signals: JsonValue | undefined): string[] {
  const macs = own(asObject(signals), 'macs');
  if (!Array.isArray(macs)) return [];
  const out = new Set<string>();
  for (const m of macs) {
    if (typeof m !== 'string') continue;
    const n = normaliseMac(m);
    if (n !== null) out.add(n);
  }
  return [...out].sort(compareByteOrder);
}

/**
 * `device.cores` as an integer; absent or null → 1. Other values are refused before this point
 * (A.6.5 row 6); they count as 1 here so that the function is total.
 */
export function normaliseCores(device: JsonValue | undefined): number | bigint {
  const cores = own(asObject(device), 'cores');
  if (isIntValue(cores)) return cores;
  if (isFloatValue(cores)) {
    const v = typeof cores === 'number' ? cores : cores.value;
    if (Number.isInteger(v)) return v;
  }
  return 1;
}

export function hardwareIdInput(
  deviceArch: string,
  device: JsonValue | undefined,
  signals: JsonValue | undefined,
): HardwareIdInput {
  return {
    arch: deviceArch,
    cores: normaliseCores(device),
    macs: normaliseMacs(signals),
    serial: normaliseSerial(device, signals),
  };
}

export function hardwareId(input: HardwareIdInput): string {
  return sha256Hex(canonicalJson(input));
}

/** B.2: a non-empty serial or at least one valid MAC. */
export function hasHardwareIdentity(input: HardwareIdInput): boolean {
  return input.serial !== '' || input.macs.length > 0;
}

/** D.3: `"H"` + 31 hex of SHA-256(chain_id + ":" + serial); null for an empty serial. */
export function hashSerialForChain(chainId: string, serial: string): string | null {
  const s = asciiUpper(asciiTrim(serial));
  if (s === '') return null;
  return 'H' + sha256Hex(`${chainId}:${s}`).slice(0, 31);
}

/** D.3: the first 12 hex of SHA-256(chain_id + ":" + mac), written `aa:bb:cc:dd:ee:ff`; null if not a MAC. */
export function hashMacForChain(chainId: string, mac: string): string | null {
  const m = normaliseMac(mac);
  if (m === null) return null;
  const h = sha256Hex(`${chainId}:${m}`).slice(0, 12);
  return (h.match(/../g) as string[]).join(':');
}
