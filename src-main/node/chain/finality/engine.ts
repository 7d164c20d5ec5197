/**
 * Finality across epochs: one EpochRound for tip + 1, a bounded buffer for tip + 2 (B.7.9), and the
 * hand-over to the next round once the host has applied a commit (from the round or from sync).
 */
import type { JsonObject } from '../../../protocol/canonical-json.js';
import { verifyProposal, verifyVote } from '../../../protocol/epoch/finality.js';
import { verifyStrict, type Verifier } from '../../../protocol/keys.js';
import type { Clock } from '../../clock.js';
import { EpochRound, type RoundHooks, type RoundSnapshot, type Verdict } from './round.js';
import { isViewWithinBounds, type ViewTiming } from './views.js';

/** Objects for tip + 2 wait here until tip + 1 commits; beyond this many the oldest are forgotten. */
export const MAX_BUFFERED = 4096;

export interface Tip {
  /** Last committed epoch (first_epoch − 1 before the first commit). */
  epoch: number;
  /** Its epoch hash, or the genesis hash before the first commit. */
  hash: string;
}

export interface EngineParams {
  chainId: string;
  validators: readonly string[];
  quorum: number;
  seed: Uint8Array | null;
  clock: Clock;
  /** proposal_due(E) and the genesis view_timeout_seconds. */
  timingOf(epoch: number): ViewTiming;
  hooks: RoundHooks;
  /** Persisted finality state of an epoch (B.10), if any. */
  loadSnapshot?(epoch: number): RoundSnapshot | null;
  verify?: Verifier;
}

type Buffered =
  | { kind: 'proposal'; proposal: JsonObject; body: JsonObject }
  | { kind: 'vote'; vote: JsonObject }
  | { kind: 'commit'; certificate: JsonObject };

export class FinalityEngine {
  private tip: Tip | null = null;
  private round: EpochRound | null = null;
  private buffer: Buffered[] = [];

  constructor(private readonly p: EngineParams) {}

  /** Starts (or moves on to) tip + 1. Safe to call again with the same tip. */
  advance(tip: Tip): void {
    if (this.tip && tip.epoch <= this.tip.epoch) return;
    this.round?.stop();
    const skipped = this.tip !== null && tip.epoch > this.tip.epoch + 1;
    this.tip = tip;
    const epoch = tip.epoch + 1;
    this.round = new EpochRound({
      chainId: this.p.chainId,
      epoch,
      prevHash: tip.hash,
      validators: this.p.validators,
      quorum: this.p.quorum,
      timing: this.p.timingOf(epoch),
      seed: this.p.seed,
      clock: this.p.clock,
      verify: this.p.verify,
      restore: this.p.loadSnapshot?.(epoch) ?? null,
      hooks: {
        ...this.p.hooks,
        afterCommit: (certificate) => {
          this.p.hooks.afterCommit?.(certificate);
          this.advance({ epoch: certificate.epoch, hash: certificate.epoch_hash });
        },
      },
    });
    const pending = skipped ? [] : this.buffer;
    this.buffer = [];
    this.round.start();
    for (const b of pending) this.replay(b);
  }

  stop(): void {
    this.round?.stop();
    this.round = null;
  }

  get currentRound(): EpochRound | null {
    return this.round;
  }

  get tipEpoch(): number | null {
    return this.tip?.epoch ?? null;
  }

  handleProposal(proposal: JsonObject, body: JsonObject): Verdict {
    const target = this.route(proposal.epoch, proposal.view);
    if (target === 'current') return (this.round as EpochRound).handleProposal(proposal, body);
    if (target === 'drop') return 'dropped';
    if (!verifyProposal(proposal, this.verify) || !this.isSigner(proposal.proposer)) return 'invalid';
    this.push({ kind: 'proposal', proposal, body });
    return 'accepted';
  }

  handleVote(vote: JsonObject): Verdict {
    const target = this.route(vote.epoch, vote.view);
    if (target === 'current') return (this.round as EpochRound).handleVote(vote);
    if (target === 'drop') return 'dropped';
    if (!verifyVote(vote, this.verify) || !this.isSigner(vote.validator)) return 'invalid';
    this.push({ kind: 'vote', vote });
    return 'accepted';
  }

  /** Certificates for epochs beyond tip + 1 are the sync layer's business (B.8.8). */
  handleCertificate(certificate: JsonObject): Verdict {
    const epoch = certificate.epoch;
    if (this.round && epoch === this.round.epoch) return this.round.handleCertificate(certificate);
    return 'dropped';
  }

  private get verify(): Verifier {
    return this.p.verify ?? verifyStrict;
  }

  /** Buffered objects are relayed, so at least their signature and signer are checked now. */
  private isSigner(key: string): boolean {
    return this.p.validators.includes(key);
  }

  /** B.7.9: tip + 1 is processed, tip + 2 buffered (only within its view bound), all else dropped. */
  private route(epoch: unknown, view: unknown): 'current' | 'buffer' | 'drop' {
    if (!this.tip || !this.round || typeof epoch !== 'number' || typeof view !== 'number') return 'drop';
    if (epoch === this.tip.epoch + 1) return 'current';
    if (epoch !== this.tip.epoch + 2) return 'drop';
    return isViewWithinBounds(view, this.p.clock.now(), this.p.timingOf(epoch)) ? 'buffer' : 'drop';
  }

  private push(b: Buffered): void {
    this.buffer.push(b);
    if (this.buffer.length > MAX_BUFFERED) this.buffer.shift();
  }

  private replay(b: Buffered): void {
    const round = this.round as EpochRound;
    if (b.kind === 'proposal') round.handleProposal(b.proposal, b.body);
    else if (b.kind === 'vote') round.handleVote(b.vote);
    else round.handleCertificate(b.certificate);
  }
}
