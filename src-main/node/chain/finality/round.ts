/**
 * One validator's two-phase voting for one epoch (PROTOCOL.md B.7.2, B.7.4, B.7.9): views by the clock
 * and by jumps, proposer rotation, prevote after re-execution, precommit on q prevotes with locks,
 * `valid_pol` for re-proposals, commit on q precommits of any view, equivocation detection.
 *
 * Pure logic: no sockets and no database. Time comes from the injected clock, messages leave through
 * `send`, own votes and locks are handed to `persist` BEFORE they are sent (B.10), and a body is only
 * ever trusted after `executeAndCheck` reproduced its header.
 */
import { canonicalJson, type JsonObject } from '../../../protocol/canonical-json.js';
import {
  epochHashOf,
  isWellFormedHeader,
  makeCertificate,
  signProposal,
  signVote,
  verifyCertificate,
  verifyProposal,
  verifyVote,
  type Certificate,
  type Proposal,
  type Vote,
  type VotePhase,
} from '../../../protocol/epoch/finality.js';
import { verifyStrict, type Verifier } from '../../../protocol/keys.js';
import { publicKeyHexFromSeed } from '../../../protocol/signed-object.js';
import type { Clock } from '../../clock.js';
import { isViewWithinBounds, proposerIndex, viewAt, viewStart, type ViewTiming } from './views.js';

/**
 * What happened to an incoming object. Only `accepted` objects are relayed; `invalid` costs the sender
 * score (B.8.7); `dropped` (outside the B.7.9 bounds) costs nothing and may arrive again later.
 */
export type Verdict = 'accepted' | 'duplicate' | 'dropped' | 'invalid' | 'equivocation';

export type FinalityOutput =
  | { kind: 'proposal'; proposal: Proposal; body: JsonObject }
  | { kind: 'vote'; vote: Vote }
  | { kind: 'commit'; certificate: Certificate };

export type ExecuteResult = { ok: true; header: JsonObject } | { ok: false; reason: string };

export interface ValidPol {
  view: number;
  header: JsonObject;
  body: JsonObject;
  prevotes: Vote[];
}

/** Everything B.10 requires to survive a crash for the epoch being finalised. */
export interface RoundSnapshot {
  epoch: number;
  lockedHash: string | null;
  lockedView: number;
  validPol: ValidPol | null;
  jumpedView: number;
  ownVotes: Vote[];
  ownProposals: { proposal: Proposal; body: JsonObject }[];
}

export interface RoundHooks {
  /** A fresh body from the pools for this epoch (B.3, B.4, B.6.1). */
  buildBody(epoch: number): JsonObject;
  /** Validates the body against the committed tip and re-executes it; returns the resulting header. */
  executeAndCheck(epoch: number, body: JsonObject): ExecuteResult;
  send(out: FinalityOutput): void;
  /** Called synchronously before any own vote or proposal is sent. */
  persist(snapshot: RoundSnapshot): void;
  /** q precommits and the body are held: apply, persist and report the commit. May throw to refuse. */
  committed(certificate: Certificate, body: JsonObject): void;
  /**
   * Quorum for a hash whose body we do not hold (a certificate or q precommits arrived first): fetch
   * the (certificate, body) pair of this epoch with GET{kind:"epoch"} and apply it through sync.
   */
  needEpoch(epoch: number, epochHash: string): void;
  /** After a commit has been applied and broadcast; the engine moves on to the next epoch here. */
  afterCommit?(certificate: Certificate): void;
  log?(event: string, detail: Record<string, unknown>): void;
}

export interface RoundParams {
  chainId: string;
  epoch: number;
  /** Epoch hash of E − 1, or the genesis hash for the first epoch. */
  prevHash: string;
  validators: readonly string[];
  quorum: number;
  timing: ViewTiming;
  /** The validator seed, or null on a full node (which follows votes but never signs). */
  seed: Uint8Array | null;
  clock: Clock;
  hooks: RoundHooks;
  verify?: Verifier;
  restore?: RoundSnapshot | null;
}

interface HeldProposal {
  proposal: Proposal;
  body: JsonObject;
  hash: string;
}

const MAX_EVALUATION_STEPS = 64;

export class EpochRound {
  readonly epoch: number;
  private readonly me: string | null;
  private readonly verify: Verifier;
  private readonly validatorSet: Set<string>;
  private lockedHash: string | null = null;
  private lockedView = -1;
  private validPol: ValidPol | null = null;
  private jumpedView = -1;
  private readonly ownVotes: Vote[] = [];
  private readonly ownProposals: { proposal: Proposal; body: JsonObject }[] = [];
  private readonly proposals = new Map<number, HeldProposal>();
  private readonly bodies = new Map<string, { header: JsonObject; body: JsonObject }>();
  /** `${view}|${phase}` → validator → first vote seen. */
  private readonly votes = new Map<string, Map<string, Vote>>();
  private readonly askedBodies = new Set<string>();
  private readonly failedBuilds = new Set<number>();
  private cancelTimer: (() => void) | null = null;
  private finished = false;
  private evaluating = false;

  constructor(private readonly p: RoundParams) {
    this.epoch = p.epoch;
    this.me = p.seed === null ? null : publicKeyHexFromSeed(p.seed);
    this.verify = p.verify ?? verifyStrict;
    this.validatorSet = new Set(p.validators);
    if (p.restore) this.restoreFrom(p.restore);
  }

  /** Arms the view timer and acts on anything already due (e.g. proposal_due has passed). */
  start(): void {
    this.evaluate();
  }

  stop(): void {
    this.finished = true;
    this.cancelTimer?.();
    this.cancelTimer = null;
  }

  get isFinished(): boolean {
    return this.finished;
  }

  currentView(): number {
    return Math.max(viewAt(this.p.clock.now(), this.p.timing), this.jumpedView);
  }

  isValidator(): boolean {
    return this.me !== null && this.validatorSet.has(this.me);
  }

  proposerOf(view: number): string {
    return this.p.validators[proposerIndex(this.epoch, view, this.p.validators.length)] as string;
  }

  snapshot(): RoundSnapshot {
    return {
      epoch: this.epoch,
      lockedHash: this.lockedHash,
      lockedView: this.lockedView,
      validPol: this.validPol,
      jumpedView: this.jumpedView,
      ownVotes: [...this.ownVotes],
      ownProposals: [...this.ownProposals],
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Incoming objects
  // ---------------------------------------------------------------------------------------------

  handleProposal(proposal: JsonObject, body: JsonObject): Verdict {
    if (this.finished) return 'dropped';
    if (!verifyProposal(proposal, this.verify)) return 'invalid';
    if (proposal.chain_id !== this.p.chainId || proposal.epoch !== this.epoch) return 'invalid';
    if (!isViewWithinBounds(proposal.view, this.p.clock.now(), this.p.timing)) return 'dropped';
    if (proposal.proposer !== this.proposerOf(proposal.view)) return 'invalid';
    const held = this.proposals.get(proposal.view);
    if (held) {
      if (held.proposal.signature === proposal.signature) return 'duplicate';
      this.log('equivocation', { kind: 'proposal', epoch: this.epoch, view: proposal.view, signer: proposal.proposer });
      return 'equivocation';
    }
    const hash = this.checkProposalContent(proposal, body);
    if (hash === null) return 'invalid';
    this.hold({ proposal, body, hash });
    for (const pv of proposal.pol) this.recordVote(pv);
    if (proposal.view > this.currentView()) this.jumpTo(proposal.view);
    this.evaluate();
    return 'accepted';
  }

  handleVote(vote: JsonObject): Verdict {
    if (this.finished) return 'dropped';
    if (!verifyVote(vote, this.verify)) return 'invalid';
    if (vote.chain_id !== this.p.chainId || vote.epoch !== this.epoch) return 'invalid';
    if (!this.validatorSet.has(vote.validator)) return 'invalid';
    if (!isViewWithinBounds(vote.view, this.p.clock.now(), this.p.timing)) return 'dropped';
    const verdict = this.recordVote(vote);
    if (verdict !== 'accepted') return verdict;
    if (vote.view > this.currentView() && this.votersOfView(vote.view) >= this.p.quorum) this.jumpTo(vote.view);
    this.evaluate();
    return 'accepted';
  }

  /** A flooded COMMIT: commit now if we hold the body, else ask the host to fetch the pair. */
  handleCertificate(cert: JsonObject): Verdict {
    if (this.finished) return 'duplicate';
    const check = verifyCertificate(cert, {
      chainId: this.p.chainId,
      epoch: this.epoch,
      prevHash: this.p.prevHash,
      validators: this.p.validators,
      quorum: this.p.quorum,
      verify: this.verify,
    });
    if (!check.ok) return 'invalid';
    const certificate = cert as Certificate;
    const known = this.bodies.get(certificate.epoch_hash);
    if (known) this.finish(certificate, known.body, false);
    else this.requestBody(certificate.epoch_hash);
    return 'accepted';
  }

  // ---------------------------------------------------------------------------------------------
  // The rules
  // ---------------------------------------------------------------------------------------------

  /** Runs rules 1–4 until nothing changes, then re-arms the timer for the next view start. */
  evaluate(): void {
    if (this.finished || this.evaluating) return;
    this.evaluating = true;
    try {
      for (let step = 0; step < MAX_EVALUATION_STEPS && !this.finished; step++) {
        if (!this.stepOnce()) break;
      }
    } finally {
      this.evaluating = false;
    }
    this.armTimer();
  }

  private stepOnce(): boolean {
    if (this.tryCommit()) return true;
    this.raiseValidPol();
    if (!this.isValidator()) return false;
    const view = this.currentView();
    if (view < 0) return false;
    return this.tryPropose(view) || this.tryPrevote(view) || this.tryPrecommit(view);
  }

  /** Rule 1. */
  private tryPropose(view: number): boolean {
    if (this.proposerOf(view) !== this.me || this.proposals.has(view) || this.failedBuilds.has(view)) return false;
    if (this.p.clock.now() < viewStart(view, this.p.timing)) return false;
    let header: JsonObject;
    let body: JsonObject;
    let polView = -1;
    let pol: Vote[] = [];
    if (this.validPol) {
      ({ header, body } = this.validPol);
      polView = this.validPol.view;
      pol = this.validPol.prevotes;
    } else {
      body = this.p.hooks.buildBody(this.epoch);
      const result = this.p.hooks.executeAndCheck(this.epoch, body);
      if (!result.ok) {
        this.log('proposal_build_failed', { epoch: this.epoch, view, reason: result.reason });
        // Remember the failure so a broken pool does not spin the evaluation loop.
        this.failedBuilds.add(view);
        return false;
      }
      header = result.header;
    }
    const proposal = signProposal(
      { chainId: this.p.chainId, epoch: this.epoch, view, header, polView, pol },
      this.p.seed as Uint8Array,
    );
    this.ownProposals.push({ proposal, body });
    this.hold({ proposal, body, hash: epochHashOf(header) });
    this.p.hooks.persist(this.snapshot());
    this.p.hooks.send({ kind: 'proposal', proposal, body });
    return true;
  }

  /** Rule 2 (the proposal was fully checked when it was held). */
  private tryPrevote(view: number): boolean {
    if (this.hasOwnVote(view, 'prevote')) return false;
    const held = this.proposals.get(view);
    if (!held) return false;
    const unlocked =
      this.lockedHash === null || this.lockedHash === held.hash || held.proposal.pol_view >= this.lockedView;
    if (!unlocked) return false;
    this.castVote(view, 'prevote', held.hash);
    return true;
  }

  /** Rule 3: only in the current view, on its own proposal's hash; sets the lock. */
  private tryPrecommit(view: number): boolean {
    if (this.hasOwnVote(view, 'precommit')) return false;
    const held = this.proposals.get(view);
    if (!held) return false;
    if (this.tally(view, 'prevote', held.hash).length < this.p.quorum) return false;
    this.lockedHash = held.hash;
    this.lockedView = view;
    this.castVote(view, 'precommit', held.hash);
    return true;
  }

  /** Rule 3a: any view, as long as we hold the body. */
  private raiseValidPol(): void {
    for (const [key, byValidator] of this.votes) {
      const [viewText, phase] = key.split('|');
      const view = Number(viewText);
      if (phase !== 'prevote' || view <= (this.validPol?.view ?? -1)) continue;
      for (const hash of new Set([...byValidator.values()].map((v) => v.epoch_hash))) {
        const known = this.bodies.get(hash);
        const prevotes = this.tally(view, 'prevote', hash);
        if (known && prevotes.length >= this.p.quorum) {
          this.validPol = { view, header: known.header, body: known.body, prevotes };
        }
      }
    }
  }

  /** Rule 4: q precommits of any view. */
  private tryCommit(): boolean {
    for (const [key, byValidator] of this.votes) {
      const [viewText, phase] = key.split('|');
      if (phase !== 'precommit') continue;
      const view = Number(viewText);
      for (const hash of new Set([...byValidator.values()].map((v) => v.epoch_hash))) {
        const precommits = this.tally(view, 'precommit', hash);
        if (precommits.length < this.p.quorum) continue;
        const known = this.bodies.get(hash);
        if (!known) {
          this.requestBody(hash);
          continue;
        }
        const header = known.header;
        const certificate = makeCertificate({ chainId: this.p.chainId, epoch: this.epoch, view, header, precommits });
        this.finish(certificate, known.body, true);
        return true;
      }
    }
    return false;
  }

  private finish(certificate: Certificate, body: JsonObject, broadcast: boolean): void {
    try {
      this.p.hooks.committed(certificate, body);
    } catch (e) {
      this.log('commit_failed', { epoch: this.epoch, error: e instanceof Error ? e.message : String(e) });
      return;
    }
    this.stop();
    this.lockedHash = null;
    this.lockedView = -1;
    if (broadcast) this.p.hooks.send({ kind: 'commit', certificate });
    this.p.hooks.afterCommit?.(certificate);
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers
  // ---------------------------------------------------------------------------------------------

  private checkProposalContent(proposal: Proposal, body: JsonObject): string | null {
    const header = proposal.header;
    if (!isWellFormedHeader(header)) return null;
    if (header.chain_id !== this.p.chainId || header.epoch !== this.epoch || header.prev_hash !== this.p.prevHash) {
      return null;
    }
    const hash = epochHashOf(header);
    if (proposal.pol_view >= 0) {
      if (proposal.pol_view >= proposal.view) return null;
      if (this.countValidPol(proposal.pol, proposal.pol_view, hash) < this.p.quorum) return null;
    } else if (proposal.pol.length !== 0) {
      return null;
    }
    const result = this.p.hooks.executeAndCheck(this.epoch, body);
    if (!result.ok || canonicalJson(result.header) !== canonicalJson(header)) return null;
    return hash;
  }

  private countValidPol(pol: readonly JsonObject[], view: number, hash: string): number {
    const signers = new Set<string>();
    for (const v of pol) {
      if (!verifyVote(v, this.verify)) continue;
      if (v.phase !== 'prevote' || v.chain_id !== this.p.chainId || v.epoch !== this.epoch) continue;
      if (v.view !== view || v.epoch_hash !== hash || !this.validatorSet.has(v.validator)) continue;
      signers.add(v.validator);
    }
    return signers.size;
  }

  private hold(h: HeldProposal): void {
    this.proposals.set(h.proposal.view, h);
    this.bodies.set(h.hash, { header: h.proposal.header, body: h.body });
  }

  /** Keeps the first vote per (validator, view, phase); a different second one is an equivocation. */
  private recordVote(vote: Vote): Verdict {
    const key = `${vote.view}|${vote.phase}`;
    let byValidator = this.votes.get(key);
    if (!byValidator) {
      byValidator = new Map();
      this.votes.set(key, byValidator);
    }
    const existing = byValidator.get(vote.validator);
    if (existing) {
      if (existing.epoch_hash === vote.epoch_hash) return 'duplicate';
      this.log('equivocation', {
        kind: 'vote',
        epoch: this.epoch,
        view: vote.view,
        phase: vote.phase,
        signer: vote.validator,
      });
      return 'equivocation';
    }
    byValidator.set(vote.validator, vote);
    return 'accepted';
  }

  private tally(view: number, phase: VotePhase, hash: string): Vote[] {
    const byValidator = this.votes.get(`${view}|${phase}`);
    return byValidator ? [...byValidator.values()].filter((v) => v.epoch_hash === hash) : [];
  }

  private votersOfView(view: number): number {
    const voters = new Set<string>();
    for (const phase of ['prevote', 'precommit'] as const) {
      for (const v of this.votes.get(`${view}|${phase}`)?.keys() ?? []) voters.add(v);
    }
    return voters.size;
  }

  private hasOwnVote(view: number, phase: VotePhase): boolean {
    return this.ownVotes.some((v) => v.view === view && v.phase === phase);
  }

  private castVote(view: number, phase: VotePhase, hash: string): void {
    const vote = signVote(
      { chainId: this.p.chainId, epoch: this.epoch, view, phase, epochHash: hash },
      this.p.seed as Uint8Array,
    );
    this.ownVotes.push(vote);
    this.recordVote(vote);
    this.p.hooks.persist(this.snapshot());
    this.p.hooks.send({ kind: 'vote', vote });
  }

  /** B.7.2: the caller has checked that t_v ≤ now + 10 s (the B.7.9 bound) and the evidence. */
  private jumpTo(view: number): void {
    if (view <= this.jumpedView) return;
    this.jumpedView = view;
    this.p.hooks.persist(this.snapshot());
  }

  private requestBody(epochHash: string): void {
    if (this.askedBodies.has(epochHash)) return;
    this.askedBodies.add(epochHash);
    this.p.hooks.needEpoch(this.epoch, epochHash);
  }

  private armTimer(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
    if (this.finished) return;
    const next = viewStart(viewAt(this.p.clock.now(), this.p.timing) + 1, this.p.timing);
    this.cancelTimer = this.p.clock.at(next, () => this.evaluate());
  }

  private restoreFrom(s: RoundSnapshot): void {
    this.lockedHash = s.lockedHash;
    this.lockedView = s.lockedView;
    this.validPol = s.validPol;
    this.jumpedView = s.jumpedView;
    if (s.validPol) {
      this.bodies.set(epochHashOf(s.validPol.header), { header: s.validPol.header, body: s.validPol.body });
      for (const v of s.validPol.prevotes) this.recordVote(v);
    }
    for (const own of s.ownProposals) {
      this.ownProposals.push(own);
      this.hold({ proposal: own.proposal, body: own.body, hash: epochHashOf(own.proposal.header) });
    }
    for (const v of s.ownVotes) {
      this.ownVotes.push(v);
      this.recordVote(v);
    }
  }

  private log(event: string, detail: Record<string, unknown>): void {
    this.p.hooks.log?.(event, detail);
  }
}
