/**
 * Object relay (PROTOCOL.md B.8.4, B.8.5): INV/GET/DATA for attestations, transfers and committed
 * epochs, with seen-caches, one outstanding request per id (≤ 5,000 per peer, 10 s, then another
 * announcer), batched INV, the unsolicited-DATA rule, and flooding of PROPOSAL/VOTE/COMMIT.
 */
import { canonicalJson, isJsonObject, type JsonObject, type JsonValue } from '../../protocol/canonical-json.js';
import { encodeFrame } from '../../protocol/gossip/frames.js';
import { isSafeInt } from '../../protocol/signed-object.js';
import type { FinalityOutput, Verdict } from '../chain/finality/round.js';
import type { ObjectKind, P2PHost } from './host.js';
import { LIMITS, MAX_FRAME_BYTES, SCORE, TIMING } from './limits.js';
import type { Peer } from './peer.js';
import { SeenCache } from './seen-cache.js';
import type { EpochSync } from './sync.js';

type GetRequest = { kind: ObjectKind; ids: string[]; timer: NodeJS.Timeout } | { kind: 'epoch'; timer: NodeJS.Timeout };

interface PeerState {
  gets: Map<string, GetRequest>;
  outstandingIds: number;
  invQueue: Map<ObjectKind | 'epoch', string[]>;
  invTimer: NodeJS.Timeout | null;
}

const OBJECT_KINDS: readonly ObjectKind[] = ['attestation', 'transfer'];
/** Room for the DATA envelope around the objects. */
const DATA_OVERHEAD = 256;

export interface GossipParams {
  host: P2PHost;
  peers(): Peer[];
  log?(event: string, detail: Record<string, unknown>): void;
}

export class Gossip {
  readonly seenFlooded = new SeenCache(LIMITS.seenEntries, LIMITS.seenTtlSeconds * 1000);
  private readonly seenObjects = new SeenCache(LIMITS.seenEntries, LIMITS.seenTtlSeconds * 1000);
  private readonly state = new Map<Peer, PeerState>();
  /** `${kind}:${id}` → the peer it is being fetched from. */
  private readonly inflight = new Map<string, Peer>();
  /** `${kind}:${id}` → peers that announced it, for the retry after a GET timeout. */
  private readonly announcers = new Map<string, Set<Peer>>();
  sync: EpochSync | null = null;

  constructor(private readonly p: GossipParams) {}

  onPeerReady(peer: Peer): void {
    this.state.set(peer, { gets: new Map(), outstandingIds: 0, invQueue: new Map(), invTimer: null });
    // Pool sync by INV after every handshake (B.8.8), then chain sync if the peer is ahead.
    for (const kind of OBJECT_KINDS) {
      const ids = this.p.host.poolIds(kind).slice(0, LIMITS.poolInvIds);
      for (let i = 0; i < ids.length; i += LIMITS.invIds) {
        peer.sendFrame('INV', { kind, ids: ids.slice(i, i + LIMITS.invIds) });
      }
    }
    if (peer.tipEpoch > this.p.host.tip().epoch) this.sync?.poke(peer);
  }

  onPeerClosed(peer: Peer): void {
    const st = this.state.get(peer);
    if (st) {
      for (const g of st.gets.values()) clearTimeout(g.timer);
      if (st.invTimer) clearTimeout(st.invTimer);
    }
    this.state.delete(peer);
    for (const [key, holder] of this.inflight) if (holder === peer) this.inflight.delete(key);
    for (const set of this.announcers.values()) set.delete(peer);
    this.sync?.onPeerClosed(peer);
  }

  stop(): void {
    for (const peer of [...this.state.keys()]) this.onPeerClosed(peer);
  }

  /** New objects from our own API: INV to every peer (batched). */
  announce(kind: ObjectKind | 'epoch', ids: readonly string[], except: Peer | null = null): void {
    for (const id of ids) this.seenObjects.add(`${kind}:${id}`);
    for (const peer of this.p.peers()) if (peer !== except) this.queueInv(peer, kind, ids);
  }

  /** Our own finality output, flooded to every peer with its id in the seen-cache. */
  broadcastFinality(out: FinalityOutput): void {
    const [type, payload]: [string, JsonObject] =
      out.kind === 'proposal'
        ? ['PROPOSAL', { proposal: out.proposal, body: out.body }]
        : out.kind === 'vote'
          ? ['VOTE', { vote: out.vote }]
          : ['COMMIT', { commit: out.certificate }];
    const frame = encodeFrame(type, payload);
    this.seenFlooded.add(frame.id);
    for (const peer of this.p.peers()) peer.sendText(type, frame.text);
  }

  /** Sync's range request; the GET is tracked here so that the DATA `re` can be matched. */
  requestEpochs(peer: Peer, from: number, to: number): boolean {
    const st = this.state.get(peer);
    if (!st) return false;
    const id = encodeFrame('GET', { kind: 'epoch', from, to }).id;
    if (st.gets.has(id)) return false;
    const timer = setTimeout(() => {
      st.gets.delete(id);
      this.sync?.onTimeout(peer);
    }, TIMING.getTimeoutMs);
    timer.unref();
    st.gets.set(id, { kind: 'epoch', timer });
    return peer.sendFrame('GET', { kind: 'epoch', from, to }) !== null;
  }

  onFrame(peer: Peer, type: string, id: string, payload: JsonObject, text: string): void {
    switch (type) {
      case 'INV':
        return this.onInv(peer, payload);
      case 'GET':
        return this.onGet(peer, id, payload);
      case 'DATA':
        return this.onData(peer, payload);
      case 'PROPOSAL':
      case 'VOTE':
      case 'COMMIT':
        return this.onFlooded(peer, type, id, payload, text);
      case 'PONG':
        // A peer's tip moved past ours: catch up (B.8.8).
        if (peer.tipEpoch > this.p.host.tip().epoch) this.sync?.poke(peer);
        return;
      case 'PEER_ANNOUNCE':
        return; // MAY (B.8.4): static --peer lists suffice; ignored without penalty
      default:
        peer.adjustScore(SCORE.malformedFrame, `unknown frame type ${type}`);
    }
  }

  // ---------------------------------------------------------------------------------------------

  private onInv(peer: Peer, payload: JsonObject): void {
    const { kind, ids } = payload;
    if (!isIdList(ids, LIMITS.invIds) || (kind !== 'epoch' && kind !== 'attestation' && kind !== 'transfer')) {
      return peer.adjustScore(SCORE.malformedFrame, 'bad INV');
    }
    if (kind === 'epoch') {
      // Hashes of newly committed epochs: anything we do not know means the peer is ahead (B.8.8).
      if (ids.some((h) => !this.seenObjects.has(`epoch:${h}`)))
        this.sync?.poke(peer, this.p.host.tip().epoch + LIMITS.epochRange);
      return;
    }
    const wanted: string[] = [];
    for (const id of ids) {
      const key = `${kind}:${id}`;
      if (this.p.host.hasObject(kind, id)) continue;
      let set = this.announcers.get(key);
      if (!set) {
        set = new Set();
        this.announcers.set(key, set);
      }
      set.add(peer);
      if (!this.inflight.has(key)) wanted.push(id);
    }
    this.fetch(peer, kind, wanted);
  }

  private fetch(peer: Peer, kind: ObjectKind, ids: string[]): void {
    const st = this.state.get(peer);
    if (!st || ids.length === 0) return;
    const room = Math.max(0, LIMITS.outstandingIdsPerPeer - st.outstandingIds);
    const batch = ids.slice(0, Math.min(room, LIMITS.getIds));
    if (batch.length === 0) return;
    const frameId = encodeFrame('GET', { kind, ids: batch }).id;
    if (st.gets.has(frameId)) return; // never two identical GETs on one connection
    for (const id of batch) this.inflight.set(`${kind}:${id}`, peer);
    st.outstandingIds += batch.length;
    const timer = setTimeout(() => this.getTimedOut(peer, frameId), TIMING.getTimeoutMs);
    timer.unref();
    st.gets.set(frameId, { kind, ids: batch, timer });
    peer.sendFrame('GET', { kind, ids: batch });
    if (ids.length > batch.length) this.fetch(peer, kind, ids.slice(batch.length));
  }

  /** 10 s without an answer: ask another announcer for what is still missing. */
  private getTimedOut(peer: Peer, frameId: string): void {
    const st = this.state.get(peer);
    const get = st?.gets.get(frameId);
    if (!st || !get || get.kind === 'epoch') return;
    this.finishGet(st, frameId);
    const retry = new Map<Peer, string[]>();
    for (const id of get.ids) {
      const key = `${get.kind}:${id}`;
      this.inflight.delete(key);
      if (this.p.host.hasObject(get.kind, id)) continue;
      const announcers = this.announcers.get(key);
      announcers?.delete(peer);
      const next = announcers ? [...announcers].find((a) => this.state.has(a)) : undefined;
      if (next) retry.set(next, [...(retry.get(next) ?? []), id]);
    }
    for (const [next, ids] of retry) this.fetch(next, get.kind, ids);
  }

  private finishGet(st: PeerState, frameId: string): GetRequest | undefined {
    const get = st.gets.get(frameId);
    if (!get) return undefined;
    clearTimeout(get.timer);
    st.gets.delete(frameId);
    if (get.kind !== 'epoch') st.outstandingIds -= get.ids.length;
    return get;
  }

  private onGet(peer: Peer, id: string, payload: JsonObject): void {
    const { kind } = payload;
    if (kind === 'epoch') {
      const { from, to } = payload;
      if (!isSafeInt(from) || !isSafeInt(to) || from > to || to - from + 1 > LIMITS.epochRange) {
        return peer.adjustScore(SCORE.malformedFrame, 'bad GET range');
      }
      const pairs = this.p.host.committedRange(from, to).map((x) => ({ commit: x.commit, body: x.body }));
      // The longest prefix that fits in one frame, at least one epoch (B.8.4).
      const objects = fitPrefix(pairs, 1);
      peer.sendFrame('DATA', { re: id, kind: 'epoch', objects });
      return;
    }
    if ((kind !== 'attestation' && kind !== 'transfer') || !isIdList(payload.ids, LIMITS.getIds)) {
      return peer.adjustScore(SCORE.malformedFrame, 'bad GET');
    }
    const objects = fitPrefix(this.p.host.getObjects(kind, payload.ids), 0);
    peer.sendFrame('DATA', { re: id, kind, objects });
  }

  private onData(peer: Peer, payload: JsonObject): void {
    const { re, kind, objects } = payload;
    if (!Array.isArray(objects) || (kind !== 'epoch' && kind !== 'attestation' && kind !== 'transfer')) {
      return peer.adjustScore(SCORE.malformedFrame, 'bad DATA');
    }
    const st = this.state.get(peer);
    if (re === null) {
      if (kind === 'epoch') return peer.adjustScore(SCORE.unsolicitedData, 'unsolicited epoch DATA');
      return this.admitAll(peer, kind, objects);
    }
    const get = typeof re === 'string' && st ? this.finishGet(st, re) : undefined;
    if (!get || get.kind !== kind) return peer.adjustScore(SCORE.unsolicitedData, 'unsolicited DATA');
    if (get.kind === 'epoch') {
      this.sync?.onData(peer, objects);
      return;
    }
    for (const id of get.ids) this.inflight.delete(`${get.kind}:${id}`);
    this.admitAll(peer, get.kind, objects);
  }

  private admitAll(peer: Peer, kind: ObjectKind, objects: readonly JsonValue[]): void {
    const fresh: string[] = [];
    for (const obj of objects) {
      const id = isJsonObject(obj) ? this.p.host.objectId(kind, obj) : null;
      if (id === null) {
        peer.adjustScore(SCORE.invalidObject, `invalid ${kind}`);
        continue;
      }
      const status = this.p.host.admitObject(kind, obj as JsonObject, peer.nodeId as string);
      if (status === 'invalid') peer.adjustScore(SCORE.invalidObject, `invalid ${kind}`);
      if (status === 'new') {
        peer.adjustScore(SCORE.newObject, 'new object');
        fresh.push(id);
      }
      this.announcers.delete(`${kind}:${id}`);
    }
    if (fresh.length > 0) this.announce(kind, fresh, peer);
  }

  private onFlooded(peer: Peer, type: string, id: string, payload: JsonObject, text: string): void {
    const from = peer.nodeId as string;
    let verdict: Verdict;
    if (type === 'PROPOSAL' && isJsonObject(payload.proposal) && isJsonObject(payload.body)) {
      verdict = this.p.host.onProposal(payload.proposal, payload.body, from);
    } else if (type === 'VOTE' && isJsonObject(payload.vote)) {
      verdict = this.p.host.onVote(payload.vote, from);
    } else if (type === 'COMMIT' && isJsonObject(payload.commit)) {
      verdict = this.p.host.onCommit(payload.commit, from);
      const epoch = payload.commit.epoch;
      if (verdict === 'dropped' && isSafeInt(epoch) && epoch > this.p.host.tip().epoch + 1)
        this.sync?.poke(peer, epoch);
    } else {
      return peer.adjustScore(SCORE.malformedFrame, `bad ${type} payload`);
    }
    // Dropped objects (B.7.9 bounds) stay out of the cache so they can arrive again later.
    if (verdict === 'dropped') return;
    this.seenFlooded.add(id);
    if (verdict === 'invalid') return peer.adjustScore(SCORE.invalidObject, `invalid ${type}`);
    if (verdict !== 'accepted') return;
    peer.adjustScore(SCORE.newObject, 'new object');
    for (const other of this.p.peers()) if (other !== peer) other.sendText(type, text);
  }

  private queueInv(peer: Peer, kind: ObjectKind | 'epoch', ids: readonly string[]): void {
    const st = this.state.get(peer);
    if (!st) return;
    const queue = st.invQueue.get(kind) ?? [];
    queue.push(...ids);
    st.invQueue.set(kind, queue);
    if (queue.length >= LIMITS.invIds) return this.flushInv(peer, st);
    if (!st.invTimer) {
      st.invTimer = setTimeout(() => this.flushInv(peer, st), TIMING.invFlushMs);
      st.invTimer.unref();
    }
  }

  private flushInv(peer: Peer, st: PeerState): void {
    if (st.invTimer) clearTimeout(st.invTimer);
    st.invTimer = null;
    for (const [kind, ids] of st.invQueue) {
      for (let i = 0; i < ids.length; i += LIMITS.invIds) {
        peer.sendFrame('INV', { kind, ids: ids.slice(i, i + LIMITS.invIds) });
      }
    }
    st.invQueue.clear();
  }
}

function isIdList(v: JsonValue | undefined, max: number): v is string[] {
  return Array.isArray(v) && v.length <= max && v.every((x) => typeof x === 'string' && x.length <= 128);
}

/** The longest prefix of `items` whose DATA frame stays under the size limit (at least `min`). */
function fitPrefix<T extends JsonValue>(items: readonly T[], min: number): T[] {
  const out: T[] = [];
  let size = DATA_OVERHEAD;
  for (const item of items) {
    const bytes = Buffer.byteLength(canonicalJson(item), 'utf8') + 1;
    if (size + bytes > MAX_FRAME_BYTES && out.length >= min) break;
    out.push(item);
    size += bytes;
  }
  return out;
}
