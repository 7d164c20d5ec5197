/**
 * Multi-validator finality (B.7) for the FullNode: a FinalityEngine whose hooks are the local chain
 * (build / re-execute / apply bodies), the gossip layer (send, fetch a missing epoch) and SQLite (the
 * round snapshot of B.10, written before any own vote leaves the node).
 */
import type Database from 'better-sqlite3';
import { canonicalJson, parseJson, type JsonObject } from '../protocol/canonical-json.js';
import { quorum as quorumOf } from '../protocol/genesis.js';
import type { Chain } from './chain/chain.js';
import { FinalityEngine, type RoundSnapshot } from './chain/finality/index.js';
import type { P2PNode } from './p2p/index.js';

const SNAPSHOT_KEY = 'finality_round';

export interface FinalityDriverOptions {
  chain: Chain;
  db: Database.Database;
  p2p: P2PNode;
  /** The validator seed when this node's key is in the genesis validators, else null (follows only). */
  seed: Uint8Array | null;
  log(event: string, detail: Record<string, unknown>): void;
}

export function createFinalityEngine(o: FinalityDriverOptions): FinalityEngine {
  const { chain, db, p2p } = o;
  const g = chain.genesis;
  const validators = g.validators.map((v) => v.public_key);
  const saveStmt = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
  const loadStmt = db.prepare('SELECT value FROM meta WHERE key = ?').pluck();
  return new FinalityEngine({
    chainId: g.chain_id,
    validators,
    quorum: quorumOf(validators.length),
    seed: o.seed,
    clock: chain.clock,
    verify: chain.verify,
    timingOf: (epoch) => ({
      proposalDue: chain.schedule.proposalDue(epoch),
      viewTimeoutSeconds: g.view_timeout_seconds,
    }),
    loadSnapshot: (epoch) => {
      const text = loadStmt.get(SNAPSHOT_KEY) as string | undefined;
      if (text === undefined) return null;
      const snap = parseJson(text) as unknown as RoundSnapshot;
      return snap.epoch === epoch ? snap : null;
    },
    hooks: {
      buildBody: (epoch) => chain.buildBody(epoch),
      executeAndCheck: (epoch, body) => chain.executeBody(epoch, body),
      // Synchronous SQLite write (WAL, committed) before the vote or proposal is sent: B.10.
      persist: (snapshot) => saveStmt.run(SNAPSHOT_KEY, canonicalJson(snapshot as unknown as JsonObject)),
      send: (out) => p2p.broadcast(out),
      committed: (certificate, body) => chain.applyCertified(certificate, body),
      needEpoch: (epoch) => p2p.requestEpoch(epoch),
      log: o.log,
    },
  });
}
