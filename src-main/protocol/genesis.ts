/**
 * The genesis file (PROTOCOL.md B.0): exact keys, types and ranges, its hash, and the validator quorum
 * of B.7.1. A node refuses to start (exit 7) with a genesis for which `validateGenesis` reports problems.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { canonicalJson, isIntValue, isJsonObject, type JsonObject, type JsonValue } from './canonical-json.js';
import { hexToBytes, sha256Hex } from './bytes.js';
import { hasSmallOrder, isCanonicalPointEncoding, RTC_ADDRESS } from './keys.js';

export const SUPPLY_CAP_I64 = 8_388_608_000_000;
export const CHAIN_ID_RE = /^[A-Za-z0-9._-]{1,64}$/;
export const MAX_VALIDATORS = 100;

export interface GenesisValidator {
  public_key: string;
  name?: string;
}

export interface GenesisAllocation {
  address: string;
  amount_i64: number;
}

/** Field names are the file's, so the object serialises back to the same canonical text. */
export interface Genesis {
  chain_id: string;
  protocol_version: 1;
  genesis_time: number;
  slot_seconds: number;
  epoch_slots: number;
  grace_seconds: number;
  view_timeout_seconds: number;
  first_epoch: number;
  epoch_pot_i64: number;
  validators: GenesisValidator[];
  allocations: GenesisAllocation[];
}

export type GenesisResult = { ok: true; genesis: Genesis } | { ok: false; problems: string[] };

const GENESIS_KEYS = [
  'chain_id',
  'protocol_version',
  'genesis_time',
  'slot_seconds',
  'epoch_slots',
  'grace_seconds',
  'view_timeout_seconds',
  'first_epoch',
  'epoch_pot_i64',
  'validators',
  'allocations',
] as const;

/** Integer fields with their inclusive ranges. genesis_time may be any non-negative unix time. */
const INT_FIELDS: ReadonlyArray<[(typeof GENESIS_KEYS)[number], number, number]> = [
  ['genesis_time', 0, Number.MAX_SAFE_INTEGER],
  ['slot_seconds', 1, Number.MAX_SAFE_INTEGER],
  ['epoch_slots', 1, Number.MAX_SAFE_INTEGER],
  ['grace_seconds', 0, Number.MAX_SAFE_INTEGER],
  ['view_timeout_seconds', 1, Number.MAX_SAFE_INTEGER],
  ['first_epoch', 0, Number.MAX_SAFE_INTEGER],
  ['epoch_pot_i64', 0, SUPPLY_CAP_I64],
];

function hasOwn(o: JsonObject, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

function intIn(v: JsonValue | undefined, min: number, max: number): v is number {
  return isIntValue(v) && typeof v === 'number' && v >= min && v <= max;
}

/** A.3 public-key checks: 32 bytes, canonical encoding, not of small order, and a point on the curve. */
export function isAcceptablePublicKey(hex: string): boolean {
  if (!/^[0-9a-f]{64}$/.test(hex)) return false;
  const bytes = hexToBytes(hex);
  if (!isCanonicalPointEncoding(bytes) || hasSmallOrder(bytes)) return false;
  try {
    ed25519.Point.fromBytes(bytes, false);
    return true;
  } catch {
    return false;
  }
}

function exactKeys(o: JsonObject, required: readonly string[], optional: readonly string[] = []): string[] {
  const problems: string[] = [];
  for (const k of required) if (!hasOwn(o, k)) problems.push(`missing key ${k}`);
  for (const k of Object.keys(o)) {
    if (!required.includes(k) && !optional.includes(k)) problems.push(`unknown key ${JSON.stringify(k)}`);
  }
  return problems;
}

export function validateGenesis(value: JsonValue): GenesisResult {
  if (!isJsonObject(value)) return { ok: false, problems: ['genesis is not a JSON object'] };
  const problems = exactKeys(value, GENESIS_KEYS);

  const chainId = value.chain_id;
  if (hasOwn(value, 'chain_id') && (typeof chainId !== 'string' || !CHAIN_ID_RE.test(chainId))) {
    problems.push('chain_id must match ^[A-Za-z0-9._-]{1,64}$');
  }
  if (hasOwn(value, 'protocol_version') && value.protocol_version !== 1) problems.push('protocol_version must be 1');
  for (const [key, min, max] of INT_FIELDS) {
    if (hasOwn(value, key) && !intIn(value[key], min, max)) {
      problems.push(`${key} must be an integer in ${min} … ${max}`);
    }
  }

  const validators = value.validators;
  if (hasOwn(value, 'validators')) {
    if (!Array.isArray(validators) || validators.length < 1 || validators.length > MAX_VALIDATORS) {
      problems.push(`validators must be an array of 1 … ${MAX_VALIDATORS} entries`);
    } else {
      const seen = new Set<string>();
      validators.forEach((v, i) => {
        if (!isJsonObject(v)) {
          problems.push(`validators[${i}] is not an object`);
          return;
        }
        for (const p of exactKeys(v, ['public_key'], ['name'])) problems.push(`validators[${i}]: ${p}`);
        const key = v.public_key;
        if (typeof key !== 'string' || !isAcceptablePublicKey(key)) {
          problems.push(`validators[${i}].public_key must be 64 lower-case hex of a valid Ed25519 key`);
        } else if (seen.has(key)) {
          problems.push(`validators[${i}].public_key is listed twice`);
        } else {
          seen.add(key);
        }
        if (hasOwn(v, 'name') && typeof v.name !== 'string') problems.push(`validators[${i}].name must be a string`);
      });
    }
  }

  const allocations = value.allocations;
  if (hasOwn(value, 'allocations')) {
    if (!Array.isArray(allocations)) {
      problems.push('allocations must be an array');
    } else {
      const seen = new Set<string>();
      let total = 0n;
      allocations.forEach((a, i) => {
        if (!isJsonObject(a)) {
          problems.push(`allocations[${i}] is not an object`);
          return;
        }
        for (const p of exactKeys(a, ['address', 'amount_i64'])) problems.push(`allocations[${i}]: ${p}`);
        const address = a.address;
        if (typeof address !== 'string' || !RTC_ADDRESS.test(address)) {
          problems.push(`allocations[${i}].address must match ^RTC[0-9a-f]{40}$`);
        } else if (seen.has(address)) {
          problems.push(`allocations[${i}].address is listed twice`);
        } else {
          seen.add(address);
        }
        const amount = a.amount_i64;
        if (!isIntValue(amount) || BigInt(amount) < 1n) {
          problems.push(`allocations[${i}].amount_i64 must be an integer ≥ 1`);
        } else {
          total += BigInt(amount);
        }
      });
      if (total > BigInt(SUPPLY_CAP_I64))
        problems.push(`allocations sum to more than the supply cap ${SUPPLY_CAP_I64}`);
    }
  }

  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, genesis: value as unknown as Genesis };
}

export function genesisToJson(g: Genesis): JsonObject {
  return g as unknown as JsonObject;
}

/** Lower-case hex SHA-256 of the canonical JSON of the whole genesis object. */
export function genesisHash(g: Genesis): string {
  return sha256Hex(canonicalJson(genesisToJson(g)));
}

/** B.7.1: f = floor((n − 1) / 3), q = n − f. */
export function faultTolerance(n: number): number {
  return Math.floor((n - 1) / 3);
}

export function quorum(n: number): number {
  return n - faultTolerance(n);
}

/** B.0: n SHOULD be 1 or 3f + 1; the node warns for other sizes. */
export function isRecommendedValidatorCount(n: number): boolean {
  return n === 1 || (n - 1) % 3 === 0;
}
