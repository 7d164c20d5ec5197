/**
 * B.7.10 conformance tests 1–5 for the finality state machine, in a harness of 4 validators (q = 3)
 * with controllable delivery: every outgoing object goes through a policy that delivers, drops or
 * holds it; an object a validator accepts is flooded on to the others, as the gossip layer does.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src-main/node/clock.js';
import {
  FinalityEngine,
  viewStart,
  type FinalityOutput,
  type RoundSnapshot,
  type Verdict,
} from '../../src-main/node/chain/finality/index.js';
import { signProposal, signVote, type Certificate } from '../../src-main/protocol/epoch/finality.js';
import type { JsonObject } from '../../src-main/protocol/canonical-json.js';
import { emptyBody, genesisFacts, Ledger, makeGenesis, seedOf, timingOf, transferObject } from './support/chain.js';

const NAMES = ['A', 'B', 'C', 'D'] as const;
type Name = (typeof NAMES)[number];
type Decision = 'deliver' | 'drop' | 'hold';
type Policy = (from: Name, to: Name, out: FinalityOutput) => Decision;

interface Envelope {
  from: Name;
  to: Name;
  out: FinalityOutput;
}

function viewOf(out: FinalityOutput): number {
  if (out.kind === 'proposal') return out.proposal.view;
  if (out.kind === 'vote') return out.vote.view;
  return out.certificate.view;
}

class Validator {
  readonly ledger: Ledger;
  readonly engine: FinalityEngine;
  readonly sent: FinalityOutput[] = [];
  readonly persisted: RoundSnapshot[] = [];
  readonly events: string[] = [];
  readonly commits: Certificate[] = [];
  readonly needed: { epoch: number; hash: string }[] = [];
  pool: JsonObject[] = [];

  constructor(
    readonly name: Name,
    readonly net: Net,
    seed: Uint8Array,
  ) {
    const g = net.genesis;
    const facts = genesisFacts(g);
    this.ledger = new Ledger(g);
    this.engine = new FinalityEngine({
      chainId: facts.chainId,
      validators: facts.validators,
      quorum: facts.quorum,
      seed,
      clock: net.clock,
      timingOf: timingOf(g),
      hooks: {
        buildBody: (epoch) => ({ epoch, attestations: [], transfers: this.pool }),
        executeAndCheck: (epoch, body) => this.ledger.executeAndCheck(epoch, body),
        send: (out) => {
          this.events.push(`send:${out.kind}`);
          this.sent.push(out);
          net.broadcast(this.name, out);
        },
        persist: (s) => {
          this.events.push('persist');
          this.persisted.push(s);
        },
        committed: (cert, body) => {
          this.ledger.apply(cert, body);
          this.commits.push(cert);
          this.pool = [];
        },
        needEpoch: (epoch, hash) => this.needed.push({ epoch, hash }),
        log: (event) => this.events.push(event),
      },
    });
  }

  start(): void {
    this.engine.advance({ epoch: this.ledger.tipEpoch, hash: this.ledger.tipHash });
  }

  receive(out: FinalityOutput): Verdict {
    if (out.kind === 'proposal') return this.engine.handleProposal(out.proposal, out.body);
    if (out.kind === 'vote') return this.engine.handleVote(out.vote);
    return this.engine.handleCertificate(out.certificate);
  }

  committedHash(epoch: number): string | undefined {
    return this.ledger.committed.get(epoch)?.certificate.epoch_hash;
  }
}

class Net {
  readonly genesis = makeGenesis(NAMES.map((_, i) => seedOf(i + 1)));
  readonly timing = timingOf(this.genesis);
  readonly epoch = this.genesis.first_epoch;
  readonly clock = new ManualClock(this.timing(this.epoch).proposalDue - 1);
  readonly nodes = new Map<Name, Validator>();
  policy: Policy = () => 'deliver';
  readonly held: Envelope[] = [];
  private readonly queue: Envelope[] = [];
  readonly verdicts: { to: Name; out: FinalityOutput; verdict: Verdict }[] = [];

  constructor(running: readonly Name[] = NAMES) {
    for (const name of running) this.nodes.set(name, new Validator(name, this, seedOf(NAMES.indexOf(name) + 1)));
  }

  node(name: Name): Validator {
    const v = this.nodes.get(name);
    if (!v) throw new Error(`${name} is not running`);
    return v;
  }

  start(): void {
    for (const v of this.nodes.values()) v.start();
    this.drain();
  }

  broadcast(from: Name, out: FinalityOutput): void {
    for (const to of NAMES) if (to !== from) this.route({ from, to, out });
  }

  /** Sends one object along one link, subject to the policy. */
  route(e: Envelope): void {
    if (!this.nodes.has(e.to)) return;
    const decision = this.policy(e.from, e.to, e.out);
    if (decision === 'deliver') this.queue.push(e);
    else if (decision === 'hold') this.held.push(e);
  }

  /** Delivers queued objects; accepted ones are flooded on (relayed) to everyone else. */
  drain(): void {
    for (let guard = 0; guard < 100_000 && this.queue.length > 0; guard++) {
      const e = this.queue.shift() as Envelope;
      const verdict = this.node(e.to).receive(e.out);
      this.verdicts.push({ to: e.to, out: e.out, verdict });
      if (verdict === 'accepted') {
        for (const next of NAMES)
          if (next !== e.to && next !== e.from) this.route({ from: e.to, to: next, out: e.out });
      }
    }
  }

  release(filter: (e: Envelope) => boolean): void {
    for (let i = this.held.length - 1; i >= 0; i--) {
      const e = this.held[i] as Envelope;
      if (filter(e)) {
        this.held.splice(i, 1);
        this.queue.unshift(e);
      }
    }
    this.drain();
  }

  /** Moves the clock to `t` one second at a time, delivering after each step. */
  runUntil(t: number): void {
    for (let guard = 0; guard < 100_000 && this.clock.now() < t; guard++) {
      this.clock.advance(Math.min(1, t - this.clock.now()));
      this.drain();
    }
  }

  viewStart(view: number, epoch = this.epoch): number {
    return viewStart(view, this.timing(epoch));
  }

  runningNodes(): Validator[] {
    return [...this.nodes.values()];
  }

  /** Every commit of `epoch` on every node names the same hash. */
  agreedHash(epoch: number): string {
    const hashes = new Set(this.runningNodes().map((v) => v.committedHash(epoch)));
    expect(hashes.size).toBe(1);
    const [hash] = [...hashes];
    expect(hash).toBeDefined();
    return hash as string;
  }

  sentVotes(name: Name, view: number, phase: 'prevote' | 'precommit'): number {
    return this.node(name).sent.filter((o) => o.kind === 'vote' && o.vote.view === view && o.vote.phase === phase)
      .length;
  }
}

/** E = first_epoch = 8, so the proposer of view v is V[(8 + v) mod 4] = V[v mod 4]: A, B, C, D, A, … */
describe('finality: B.7.10 conformance (n = 4, q = 3)', () => {
  it('test 1 — late prevotes: a lock in view 2 never leads to a second commit', () => {
    const net = new Net();
    const E = net.epoch;
    net.node('D').pool = [transferObject(net.genesis, 1n)]; // so the view-3 header differs from view 2
    // Views 0 and 1 fail: nothing is delivered.
    net.policy = (_f, _t, out) => (viewOf(out) < 2 ? 'drop' : 'deliver');
    net.start();
    net.runUntil(net.viewStart(2) - 1);
    expect(net.runningNodes().every((v) => v.commits.length === 0)).toBe(true);

    // View 2: C proposes H to A, B, D; C's own prevote is lost; only A gets the prevotes in time.
    net.policy = (from, to, out) => {
      if (out.kind === 'commit') return 'deliver';
      const view = viewOf(out);
      if (view < 2) return 'drop';
      if (view === 2) {
        if (out.kind === 'proposal') return to === 'C' ? 'drop' : 'deliver';
        if (out.kind === 'vote' && out.vote.phase === 'prevote') {
          if (from === 'C') return 'drop';
          return to === 'A' ? 'deliver' : 'hold';
        }
        return 'drop'; // A's precommit is lost
      }
      // View 3: everything flows except precommits to B and D, held until the late prevotes arrived.
      if (out.kind === 'vote' && out.vote.phase === 'precommit' && (to === 'B' || to === 'D')) return 'hold';
      return 'deliver';
    };
    net.runUntil(net.viewStart(2));
    const view2Proposal = net.node('C').sent.find((o) => o.kind === 'proposal');
    expect(view2Proposal?.kind).toBe('proposal');
    const H = view2Proposal?.kind === 'proposal' ? view2Proposal.proposal.header : null;
    expect(net.sentVotes('A', 2, 'precommit')).toBe(1); // A locked on H
    expect(net.sentVotes('B', 2, 'precommit')).toBe(0);
    expect(net.sentVotes('D', 2, 'precommit')).toBe(0);

    net.runUntil(net.viewStart(3));
    // A is locked on H: it does not prevote the fresh H′ of view 3 on its own; only the view-3 POL of
    // B, C and D (q prevotes) moves it (rule 3 may precommit without an own prevote).
    const aView3 = net.node('A').sent.filter((o) => o.kind === 'vote' && o.vote.view === 3);
    expect(aView3[0]?.kind === 'vote' && aView3[0].vote.phase).toBe('precommit');
    expect(net.node('C').commits).toHaveLength(1);
    const hPrime = net.node('C').commits[0]?.epoch_hash;
    expect(H).not.toBeNull();
    expect(net.node('C').commits[0]?.header).not.toEqual(H);

    // The delayed view-2 prevotes reach B and D now: they must not precommit in view 2.
    net.release((e) => e.out.kind === 'vote' && e.out.vote.view === 2);
    expect(net.sentVotes('B', 2, 'precommit')).toBe(0);
    expect(net.sentVotes('D', 2, 'precommit')).toBe(0);
    net.release(() => true);

    for (const v of net.runningNodes()) expect(v.committedHash(E)).toBe(hPrime);
    expect(net.node('C').commits[0]?.view).toBe(3);
    const viewTwoHash = net.node('A').persisted.find((s) => s.lockedView === 2)?.lockedHash;
    expect(viewTwoHash).toBeDefined();
    expect(viewTwoHash).not.toBe(hPrime);
  });

  it('test 2 — crashed proposer: the epoch commits in view 1', () => {
    const net = new Net(['B', 'C', 'D']); // A, the view-0 proposer, is down
    net.start();
    net.runUntil(net.viewStart(1) + 1);
    const hash = net.agreedHash(net.epoch);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    for (const v of net.runningNodes()) expect(v.commits[0]?.view).toBe(1);
  });

  it('test 3 — equivocating proposer: logged, no conflicting commits, commits in a later view', () => {
    const net = new Net(['B', 'C', 'D']); // A is Byzantine and driven by hand
    const E = net.epoch;
    net.start();
    net.runUntil(net.viewStart(0));
    const a = new Ledger(net.genesis);
    const bodies = [emptyBody(E), { epoch: E, attestations: [], transfers: [transferObject(net.genesis, 1n)] }];
    const proposals = bodies.map((body) => {
      const r = a.executeAndCheck(E, body);
      if (!r.ok) throw new Error(r.reason);
      const proposal = signProposal({ chainId: net.genesis.chain_id, epoch: E, view: 0, header: r.header }, seedOf(1));
      return { kind: 'proposal' as const, proposal, body };
    });
    net.policy = () => 'deliver';
    // Two different valid proposals for view 0: one to B, the other to C and D.
    net.route({ from: 'A', to: 'B', out: proposals[0] as FinalityOutput });
    net.route({ from: 'A', to: 'C', out: proposals[1] as FinalityOutput });
    net.route({ from: 'A', to: 'D', out: proposals[1] as FinalityOutput });
    net.drain();
    expect(net.runningNodes().some((v) => v.events.includes('equivocation'))).toBe(true);
    expect(net.verdicts.filter((x) => x.verdict === 'equivocation').length).toBeGreaterThan(0);
    expect(net.runningNodes().every((v) => v.commits.length === 0)).toBe(true);

    net.runUntil(net.viewStart(2));
    const hash = net.agreedHash(E);
    for (const v of net.runningNodes()) expect(v.commits[0]?.view).toBeGreaterThan(0);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('test 4 — far-future view: nobody jumps or relays, the chain keeps committing', () => {
    const net = new Net();
    const E = net.epoch;
    net.start();
    const ledger = new Ledger(net.genesis);
    const r = ledger.executeAndCheck(E, emptyBody(E));
    if (!r.ok) throw new Error(r.reason);
    // V[(8 + 10000) mod 4] = V[0] = A signs a valid proposal for view 10,000.
    const proposal = signProposal(
      { chainId: net.genesis.chain_id, epoch: E, view: 10_000, header: r.header },
      seedOf(1),
    );
    const far: FinalityOutput = { kind: 'proposal', proposal, body: emptyBody(E) };
    const before = net.verdicts.length;
    net.route({ from: 'A', to: 'B', out: far });
    net.drain();
    const farVerdicts = net.verdicts.slice(before);
    expect(farVerdicts).toEqual([{ to: 'B', out: far, verdict: 'dropped' }]); // and hence never relayed
    expect(net.node('B').engine.currentRound?.currentView()).toBe(-1);

    net.runUntil(net.viewStart(0) + 1);
    const hash = net.agreedHash(E);
    expect(net.node('B').commits[0]?.view).toBe(0);
    net.runUntil(net.timing(E + 1).proposalDue + 1);
    expect(net.agreedHash(E + 1)).not.toBe(hash);
  });

  it('test 5 — 2 + 2 partition: no conflicting commits, commits after healing', () => {
    const net = new Net();
    const E = net.epoch;
    const side = (n: Name) => (n === 'A' || n === 'B' ? 0 : 1);
    net.node('C').pool = [transferObject(net.genesis, 1n)]; // the two sides would build different headers
    net.policy = (from, to) => (side(from) === side(to) ? 'deliver' : 'drop');
    net.start();
    net.runUntil(net.viewStart(4));
    expect(net.runningNodes().every((v) => v.commits.length === 0)).toBe(true);

    net.policy = () => 'deliver';
    net.runUntil(net.viewStart(8));
    const hash = net.agreedHash(E);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    for (const v of net.runningNodes()) expect(v.commits[0]?.view).toBeGreaterThanOrEqual(4);
  });
});

describe('finality: single validator (B.7.6)', () => {
  it('n = 1 commits at proposal_due, persisting each own vote before sending it', () => {
    const genesis = makeGenesis([seedOf(9)]);
    const clock = new ManualClock(timingOf(genesis)(genesis.first_epoch).proposalDue - 5);
    const ledger = new Ledger(genesis);
    const facts = genesisFacts(genesis);
    const events: string[] = [];
    const engine = new FinalityEngine({
      chainId: facts.chainId,
      validators: facts.validators,
      quorum: facts.quorum,
      seed: seedOf(9),
      clock,
      timingOf: timingOf(genesis),
      hooks: {
        buildBody: (epoch) => emptyBody(epoch),
        executeAndCheck: (epoch, body) => ledger.executeAndCheck(epoch, body),
        send: (out) => events.push(out.kind === 'vote' ? `send:${out.vote.phase}` : `send:${out.kind}`),
        persist: () => events.push('persist'),
        committed: (cert, body) => ledger.apply(cert, body),
        needEpoch: () => undefined,
      },
    });
    engine.advance({ epoch: ledger.tipEpoch, hash: ledger.tipHash });
    clock.advance(4);
    expect(ledger.committed.size).toBe(0);
    clock.advance(1);
    expect(ledger.tipEpoch).toBe(genesis.first_epoch);
    const cert = ledger.committed.get(genesis.first_epoch)?.certificate;
    expect(cert?.view).toBe(0);
    expect(cert?.precommits).toHaveLength(1);
    expect(events).toEqual([
      'persist',
      'send:proposal',
      'persist',
      'send:prevote',
      'persist',
      'send:precommit',
      'send:commit',
    ]);
    // The engine moved on to the next epoch and commits it at its own proposal_due.
    expect(engine.tipEpoch).toBe(genesis.first_epoch);
    clock.advance(timingOf(genesis)(genesis.first_epoch + 1).proposalDue - clock.now());
    expect(ledger.tipEpoch).toBe(genesis.first_epoch + 1);
  });

  it('a restored snapshot keeps a validator from voting twice in a view', () => {
    const genesis = makeGenesis([seedOf(9)]);
    const due = timingOf(genesis)(genesis.first_epoch).proposalDue;
    const facts = genesisFacts(genesis);
    const run = (restore: RoundSnapshot | null, pool: JsonObject[]) => {
      const clock = new ManualClock(due);
      const ledger = new Ledger(genesis);
      const sent: FinalityOutput[] = [];
      let snapshot: RoundSnapshot | null = null;
      const engine = new FinalityEngine({
        chainId: facts.chainId,
        validators: facts.validators,
        quorum: facts.quorum,
        seed: seedOf(9),
        clock,
        timingOf: timingOf(genesis),
        loadSnapshot: () => restore,
        hooks: {
          buildBody: (epoch) => ({ epoch, attestations: [], transfers: pool }),
          executeAndCheck: (epoch, body) => ledger.executeAndCheck(epoch, body),
          send: (out) => sent.push(out),
          persist: (s) => {
            snapshot = s;
            // Crash right after the prevote was persisted: nothing more happens in this run.
            if (restore === null && s.ownVotes.length === 1) throw new Error('crash');
          },
          committed: (cert, body) => ledger.apply(cert, body),
          needEpoch: () => undefined,
        },
      });
      try {
        engine.advance({ epoch: ledger.tipEpoch, hash: ledger.tipHash });
      } catch {
        /* the simulated crash */
      }
      return { sent, snapshot: snapshot as RoundSnapshot | null, ledger };
    };
    const first = run(null, []);
    expect(first.snapshot?.ownVotes).toHaveLength(1);
    // After the restart a different pool would give a different body; the persisted proposal and vote win.
    const second = run(first.snapshot, [transferObject(genesis, 1n)]);
    const prevotes = second.sent.filter((o) => o.kind === 'vote' && o.vote.phase === 'prevote');
    expect(prevotes).toHaveLength(0);
    expect(second.sent.filter((o) => o.kind === 'proposal')).toHaveLength(0);
    const committedHash = second.ledger.committed.get(genesis.first_epoch)?.certificate.epoch_hash;
    expect(committedHash).toBe(first.snapshot?.ownVotes[0]?.epoch_hash);
  });
});

describe('finality: bounds (B.7.9)', () => {
  it('checks and buffers tip + 2 objects, drops later epochs, and replays the buffer after the commit', () => {
    const net = new Net();
    const E = net.epoch;
    net.policy = () => 'drop'; // E cannot commit yet
    net.start();
    net.runUntil(net.timing(E + 1).proposalDue - 5);
    expect(net.node('A').commits).toHaveLength(0);

    const X = 'ab'.repeat(32);
    const precommit = (epoch: number, seedByte: number) =>
      signVote({ chainId: net.genesis.chain_id, epoch, view: 0, phase: 'precommit', epochHash: X }, seedOf(seedByte));
    const a = net.node('A').engine;
    // E + 1 is tip + 2: view 0 starts within 10 s, so valid votes are buffered (and may be relayed).
    for (const seedByte of [2, 3, 4]) expect(a.handleVote(precommit(E + 1, seedByte))).toBe('accepted');
    expect(a.handleVote({ ...precommit(E + 1, 2), signature: '00'.repeat(64) })).toBe('invalid');
    expect(a.handleVote(precommit(E + 2, 2))).toBe('dropped'); // tip + 3
    expect(net.node('A').needed).toHaveLength(0);

    net.policy = () => 'deliver';
    net.runUntil(net.timing(E + 1).proposalDue + 100);
    expect(net.node('A').committedHash(E)).toMatch(/^[0-9a-f]{64}$/);
    // Replayed into the round of E + 1: q precommits for a body A never saw → fetch the epoch.
    expect(net.node('A').needed).toContainEqual({ epoch: E + 1, hash: X });
  });
});
