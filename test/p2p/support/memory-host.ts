/**
 * An in-memory P2PHost: pools in Maps and a real Ledger (validateBody + executeEpoch) for committed
 * epochs. Relayed test objects are `{"data": <string>, "id": sha256(data)}`; a wrong id is invalid.
 */
import type { JsonObject } from '../../../src-main/protocol/canonical-json.js';
import { sha256Hex, utf8 } from '../../../src-main/protocol/bytes.js';
import type { Certificate } from '../../../src-main/protocol/epoch/finality.js';
import type { Genesis } from '../../../src-main/protocol/genesis.js';
import type { AdmitStatus, CommittedPair, ObjectKind, P2PHost } from '../../../src-main/node/p2p/index.js';
import type { Verdict } from '../../../src-main/node/chain/finality/index.js';
import { genesisFacts, Ledger } from './chain.js';

export function testObject(data: string): JsonObject {
  return { data, id: sha256Hex(utf8(data)) };
}

export class MemoryHost implements P2PHost {
  readonly chainId: string;
  readonly genesisHash: string;
  readonly validators: readonly string[];
  readonly quorum: number;
  readonly ledger: Ledger;
  readonly pools: Record<ObjectKind, Map<string, JsonObject>> = { attestation: new Map(), transfer: new Map() };
  readonly admissions: { kind: ObjectKind; id: string; from: string; status: AdmitStatus }[] = [];
  readonly flooded: { type: string; from: string }[] = [];

  constructor(genesis: Genesis) {
    const facts = genesisFacts(genesis);
    this.chainId = facts.chainId;
    this.genesisHash = facts.genesisHash;
    this.validators = facts.validators;
    this.quorum = facts.quorum;
    this.ledger = new Ledger(genesis);
  }

  tip() {
    return { epoch: this.ledger.tipEpoch, hash: this.ledger.tipHash };
  }

  poolIds(kind: ObjectKind): string[] {
    return [...this.pools[kind].keys()];
  }

  hasObject(kind: ObjectKind, id: string): boolean {
    return this.pools[kind].has(id);
  }

  getObjects(kind: ObjectKind, ids: readonly string[]): JsonObject[] {
    return ids.flatMap((id) => {
      const o = this.pools[kind].get(id);
      return o ? [o] : [];
    });
  }

  objectId(_kind: ObjectKind, obj: JsonObject): string | null {
    return typeof obj.data === 'string' && typeof obj.id === 'string' ? obj.id : null;
  }

  admitObject(kind: ObjectKind, obj: JsonObject, fromPeer: string): AdmitStatus {
    const id = obj.id as string;
    let status: AdmitStatus;
    if (obj.id !== sha256Hex(utf8(obj.data as string))) status = 'invalid';
    else if (this.pools[kind].has(id)) status = 'known';
    else status = 'new';
    if (status === 'new') this.pools[kind].set(id, obj);
    this.admissions.push({ kind, id, from: fromPeer, status });
    return status;
  }

  committedRange(from: number, to: number): CommittedPair[] {
    const out: CommittedPair[] = [];
    for (let e = from; e <= to; e++) {
      const c = this.ledger.committed.get(e);
      if (!c) break;
      out.push({ commit: c.certificate, body: c.body });
    }
    return out;
  }

  applyCommitted(certificate: Certificate, body: JsonObject): boolean {
    this.ledger.apply(certificate, body);
    return true;
  }

  onProposal(_p: JsonObject, _b: JsonObject, from: string): Verdict {
    this.flooded.push({ type: 'PROPOSAL', from });
    return 'dropped';
  }

  onVote(_v: JsonObject, from: string): Verdict {
    this.flooded.push({ type: 'VOTE', from });
    return 'dropped';
  }

  onCommit(_c: JsonObject, from: string): Verdict {
    this.flooded.push({ type: 'COMMIT', from });
    return 'dropped';
  }
}
