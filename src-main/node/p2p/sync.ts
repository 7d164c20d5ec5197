/**
 * Catch-up from peers (PROTOCOL.md B.8.8, B.7.5): GET{kind:"epoch"} ranges of at most 32 epochs, each
 * returned certificate verified against our tip before the host re-executes and applies its body.
 * One range request is in flight at a time; it moves on to another peer when one fails or times out.
 */
import { isJsonObject, type JsonObject, type JsonValue } from '../../protocol/canonical-json.js';
import { verifyCertificate, type Certificate } from '../../protocol/epoch/finality.js';
import type { Verifier } from '../../protocol/keys.js';
import type { P2PHost } from './host.js';
import { LIMITS, SCORE } from './limits.js';
import type { Peer } from './peer.js';

export interface SyncParams {
  host: P2PHost;
  verify: Verifier;
  /** Sends GET{kind:"epoch",from,to}; returns false when it could not be sent. */
  requestRange(peer: Peer, from: number, to: number): boolean;
  peers(): Peer[];
  /** Called after each applied epoch (e.g. to advance finality and announce INV{kind:"epoch"}). */
  onApplied?(certificate: Certificate): void;
  log?(event: string, detail: Record<string, unknown>): void;
}

export class EpochSync {
  private active: Peer | null = null;
  /** The highest epoch some peer claims (HELLO, PONG, COMMIT or INV{kind:"epoch"}). */
  private readonly claimed = new Map<Peer, number>();

  constructor(private readonly p: SyncParams) {}

  get isSyncing(): boolean {
    return this.active !== null;
  }

  /** A peer is (or may be) ahead: start a range request unless one is in flight. */
  poke(peer: Peer, claimedEpoch = peer.tipEpoch): void {
    this.claimed.set(peer, Math.max(this.claimed.get(peer) ?? -Infinity, claimedEpoch, peer.tipEpoch));
    if (this.active === null) this.next();
  }

  /** DATA answering our GET{kind:"epoch"}: apply the pairs in order, stop at the first bad one. */
  onData(peer: Peer, objects: readonly JsonValue[]): void {
    if (peer !== this.active) return;
    let applied = 0;
    for (const item of objects) {
      const result = this.applyOne(item);
      if (result === 'bad') {
        peer.adjustScore(SCORE.invalidObject, 'invalid committed epoch');
        this.claimed.delete(peer);
        break;
      }
      if (result === 'applied') applied++;
    }
    if (applied === 0) this.claimed.delete(peer); // it has nothing more for us
    this.active = null;
    this.next();
  }

  onTimeout(peer: Peer): void {
    if (peer !== this.active) return;
    this.claimed.delete(peer);
    this.active = null;
    this.next();
  }

  onPeerClosed(peer: Peer): void {
    this.claimed.delete(peer);
    if (peer === this.active) {
      this.active = null;
      this.next();
    }
  }

  private next(): void {
    const tip = this.p.host.tip().epoch;
    const ready = new Set(this.p.peers());
    const candidates = [...this.claimed]
      .filter(([peer, epoch]) => ready.has(peer) && epoch > tip)
      .sort((a, b) => b[1] - a[1]);
    for (const [peer, epoch] of candidates) {
      const to = Math.min(epoch, tip + LIMITS.epochRange);
      if (this.p.requestRange(peer, tip + 1, to)) {
        this.active = peer;
        return;
      }
      this.claimed.delete(peer);
    }
  }

  private applyOne(item: JsonValue): 'applied' | 'skipped' | 'bad' {
    if (!isJsonObject(item) || !isJsonObject(item.commit) || !isJsonObject(item.body)) return 'bad';
    const tip = this.p.host.tip();
    const certificate = item.commit;
    if (certificate.epoch !== tip.epoch + 1) {
      // Already applied (e.g. committed by finality meanwhile): not the sender's fault.
      return typeof certificate.epoch === 'number' && certificate.epoch <= tip.epoch ? 'skipped' : 'bad';
    }
    const check = verifyCertificate(certificate, {
      chainId: this.p.host.chainId,
      epoch: tip.epoch + 1,
      prevHash: tip.hash,
      validators: this.p.host.validators,
      quorum: this.p.host.quorum,
      verify: this.p.verify,
    });
    if (!check.ok) {
      this.p.log?.('sync_rejected', { epoch: tip.epoch + 1, reason: check.reason });
      return 'bad';
    }
    let ok: boolean;
    try {
      ok = this.p.host.applyCommitted(certificate as Certificate, item.body as JsonObject);
    } catch (e) {
      this.p.log?.('sync_apply_failed', { epoch: tip.epoch + 1, error: e instanceof Error ? e.message : String(e) });
      ok = false;
    }
    if (!ok) return 'bad';
    this.p.onApplied?.(certificate as Certificate);
    return 'applied';
  }
}
