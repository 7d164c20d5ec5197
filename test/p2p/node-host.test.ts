/**
 * The node's P2PHost over a real Chain and SQLite file: B.8.5 admission outcomes of relayed transfers,
 * and sync's applyCommitted (certificate + re-execution) between two chains.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src-main/node/clock.js';
import { Chain } from '../../src-main/node/chain/chain.js';
import { openDatabase } from '../../src-main/node/db/open.js';
import { ChainP2PHost } from '../../src-main/node/p2p-host.js';
import type { JsonObject } from '../../src-main/protocol/canonical-json.js';
import { genesisHash, type Genesis } from '../../src-main/protocol/genesis.js';
import { verifyStrict } from '../../src-main/protocol/keys.js';
import { makeGenesis, seedOf, transferObject } from './support/chain.js';

const dbs: Database.Database[] = [];

afterEach(async () => {
  // Admitted transfers are written by the pool's group commit on the next turn of the event loop.
  await new Promise((r) => setImmediate(r));
  for (const db of dbs.splice(0)) db.close();
});

function chainOf(genesis: Genesis, validatorSeed: Uint8Array | null): Chain {
  const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'rc-host-')), 'node.db'));
  dbs.push(db);
  return new Chain({
    db,
    genesis,
    genesisHash: genesisHash(genesis),
    validatorSeed,
    clock: systemClock,
    verify: verifyStrict,
  });
}

describe('ChainP2PHost', () => {
  // A handful of epochs are due now (not thousands): the genesis is about five epochs old.
  const base = makeGenesis([seedOf(1)]);
  const epochSeconds = base.epoch_slots * base.slot_seconds;
  const genesis: Genesis = {
    ...base,
    genesis_time: Math.floor(Date.now() / 1000) - (base.first_epoch + 5) * epochSeconds - base.grace_seconds + 500,
  };

  it('admits a relayed transfer once, refuses forgeries, ignores what the pool rules reject', () => {
    const chain = chainOf(genesis, null);
    const host = new ChainP2PHost(chain);
    const t1 = transferObject(genesis, 1n);
    const id = host.objectId('transfer', t1);
    expect(id).toMatch(/^[0-9a-f]{64}$/);

    expect(host.admitObject('transfer', t1)).toBe('new');
    expect(host.hasObject('transfer', id as string)).toBe(true);
    expect(host.poolIds('transfer')).toEqual([id]);
    expect(host.getObjects('transfer', [id as string, 'ff'.repeat(32)])).toEqual([t1]);
    expect(host.admitObject('transfer', t1)).toBe('known');

    const forged: JsonObject = { ...t1, signature: '00'.repeat(64) };
    expect(host.admitObject('transfer', forged)).toBe('invalid');
    expect(host.objectId('transfer', { message: 1 })).toBeNull();
    // Same nonce again (row 23/24) and more than the balance (row 25): valid objects, not pooled, no penalty.
    expect(host.admitObject('transfer', transferObject(genesis, 1n, 2_000_000n))).toBe('ignored');
    expect(host.admitObject('transfer', transferObject(genesis, 2n, 60_000_000n))).toBe('ignored');
    expect(host.poolIds('transfer')).toHaveLength(1);
    expect(host.admitObject('attestation', t1)).toBe('ignored');
  });

  it('serves committed pairs that another chain applies to the same epoch hashes', () => {
    const validator = chainOf(genesis, seedOf(1));
    const vHost = new ChainP2PHost(validator);
    const committed = validator.catchUp();
    expect(committed).toBeGreaterThanOrEqual(4);
    expect(vHost.tip().epoch).toBe(genesis.first_epoch + committed - 1);

    const follower = chainOf(genesis, null);
    const fHost = new ChainP2PHost(follower);
    const pairs = vHost.committedRange(genesis.first_epoch, genesis.first_epoch + 2);
    expect(pairs).toHaveLength(3);
    for (const p of pairs) expect(fHost.applyCommitted(p.commit, p.body)).toBe(true);
    expect(fHost.tip()).toEqual({ epoch: genesis.first_epoch + 2, hash: pairs[2]?.commit.epoch_hash });

    // A pair whose body does not reproduce the certified header is refused and changes nothing.
    const next = vHost.committedRange(genesis.first_epoch + 3, genesis.first_epoch + 3)[0];
    expect(next).toBeDefined();
    const wrongBody = { ...next!.body, transfers: [transferObject(genesis, 9n)] };
    expect(() => fHost.applyCommitted(next!.commit, wrongBody)).toThrow();
    expect(fHost.tip().epoch).toBe(genesis.first_epoch + 2);
    expect(fHost.applyCommitted(next!.commit, next!.body)).toBe(true);
  });
});
