/**
 * The chain state of PROTOCOL.md B.6.3 held in memory: balances, last transfer nonces, hardware
 * bindings, identity pins and the total supply; its Merkle leaves and root.
 */
import { escapeJsonString } from '../canonical-json.js';
import { byteOrderPermutation } from '../byte-order.js';
import type { Genesis } from '../genesis.js';
import { defaultHash, merkleRootOfTexts, type HashFn } from '../merkle.js';

export interface Binding {
  lastEpoch: number;
  miner: string;
}

export interface ChainState {
  /** Non-zero balances only (a zero balance has no leaf). */
  balances: Map<string, bigint>;
  /** Last confirmed-or-voided transfer nonce per sender. */
  nonces: Map<string, bigint>;
  /** Hardware id → binding. */
  bindings: Map<string, Binding>;
  /** Legacy (non-RTC) miner id → pinned public key hex. */
  pins: Map<string, string>;
  totalSupplyI64: bigint;
}

export function emptyState(): ChainState {
  return { balances: new Map(), nonces: new Map(), bindings: new Map(), pins: new Map(), totalSupplyI64: 0n };
}

/** B.0: balances from the allocations, supply = their sum, nothing else. */
export function genesisState(g: Genesis): ChainState {
  const s = emptyState();
  for (const a of g.allocations) {
    const amount = BigInt(a.amount_i64);
    s.balances.set(a.address, (s.balances.get(a.address) ?? 0n) + amount);
    s.totalSupplyI64 += amount;
  }
  return s;
}

/** A copy that can be changed without touching the original. Binding objects are shared: replace, never mutate them. */
export function cloneState(s: ChainState): ChainState {
  return {
    balances: new Map(s.balances),
    nonces: new Map(s.nonces),
    bindings: new Map(s.bindings),
    pins: new Map(s.pins),
    totalSupplyI64: s.totalSupplyI64,
  };
}

export function balanceOf(s: ChainState, account: string): bigint {
  return s.balances.get(account) ?? 0n;
}

/** Adds `delta` (may be negative); zero balances are removed so that they have no leaf. */
export function addBalance(s: ChainState, account: string, delta: bigint): void {
  const next = balanceOf(s, account) + delta;
  if (next === 0n) s.balances.delete(account);
  else s.balances.set(account, next);
}

function sortedKeys<V>(m: ReadonlyMap<string, V>): string[] {
  const keys = [...m.keys()];
  const order = byteOrderPermutation(keys);
  const out = new Array<string>(keys.length);
  for (let i = 0; i < order.length; i++) out[i] = keys[order[i] as number] as string;
  return out;
}

/**
 * Leaf texts `{"k":…,"t":…,"v":…}` sorted by kind, then key, in byte order. Built by hand rather than
 * through the generic serialiser because a large chain has millions of them; the layout is exactly
 * canonical JSON (keys k < t < v, and last_epoch < miner inside a binding).
 */
export function stateLeaves(s: ChainState): string[] {
  const out: string[] = [];
  for (const k of sortedKeys(s.balances)) {
    out.push(`{"k":${escapeJsonString(k)},"t":"balance","v":${(s.balances.get(k) as bigint).toString()}}`);
  }
  for (const k of sortedKeys(s.bindings)) {
    const b = s.bindings.get(k) as Binding;
    out.push(
      `{"k":${escapeJsonString(k)},"t":"binding","v":{"last_epoch":${b.lastEpoch},"miner":${escapeJsonString(b.miner)}}}`,
    );
  }
  out.push(`{"k":"total_supply_i64","t":"meta","v":${s.totalSupplyI64.toString()}}`);
  for (const k of sortedKeys(s.nonces)) {
    out.push(`{"k":${escapeJsonString(k)},"t":"nonce","v":"${(s.nonces.get(k) as bigint).toString()}"}`);
  }
  for (const k of sortedKeys(s.pins)) {
    out.push(`{"k":${escapeJsonString(k)},"t":"pin","v":${escapeJsonString(s.pins.get(k) as string)}}`);
  }
  return out;
}

export function stateRoot(s: ChainState, hash: HashFn = defaultHash): string {
  return merkleRootOfTexts(stateLeaves(s), hash);
}
