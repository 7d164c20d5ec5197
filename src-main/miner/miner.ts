/**
 * The attestation loop of PROTOCOL.md D.1 against any node URL: health, challenge, a fresh
 * fingerprint, canonical-JSON signature, submit, enroll, then wait (D.1 step 5) and attest again.
 * Errors back off exponentially with jitter; every attempt is recorded; the UI follows typed events.
 */
import { NodeClient, NodeClientError, type EpochInfo } from '../client/node-client.js';
import { bytesToHex } from '../protocol/bytes.js';
import { PyFloat, type JsonObject, type JsonValue } from '../protocol/canonical-json.js';
import { attestationSigningMessage, enrollmentMessage } from '../protocol/attestation.js';
import type { AttemptRecord, AttemptStore } from './attempt-store.js';
import { Backoff, sleep } from './backoff.js';
import { collectFacts, deviceAndSignals, minerIdFor, type DeviceFacts } from './device.js';
import { MinerEmitter, type MinerStage, type MinerState } from './events.js';
import { measureFingerprint, type FingerprintResult, type MeasureParams } from './fingerprint/index.js';
import type { MinerIdentity } from './identity.js';
import { buildReport, measurementBinding } from './report.js';

/** D.1 step 5: attest again before the 600 s attestation TTL runs out. */
const REATTEST_AFTER_S = 580;
const RATE_LIMIT_WAIT_S = 60;
const BALANCE_EVERY_MS = 10 * 60_000;

export interface MinerOptions {
  nodeUrl: string;
  identity: MinerIdentity;
  /** Where attempts are recorded (`<home>/miner/miner.db`); none in pure dry runs. */
  store?: AttemptStore | null;
  client?: NodeClient;
  /** Fingerprint parameters (D.4 defaults) and the fallback switch. */
  fingerprint?: { params?: MeasureParams; forceFallback?: boolean };
  /**
   * CPU budget, 0.05…1 (default 1): the fraction of wall time the fingerprint measurement may keep
   * one core busy; it sleeps between samples otherwise. Waiting between cycles costs no CPU.
   */
  duty?: number;
  /** Error back-off (default 2 s doubling to 60 s, with jitter). */
  backoff?: { baseMs?: number; capMs?: number };
  /** Waits between the three start-up health tries (D.1: 2 s, 4 s). */
  healthDelaysMs?: number[];
  /** Device facts (default: measured once from this machine; the same for every attestation). */
  facts?: DeviceFacts;
  random?: () => number;
  now?: () => number;
}

export type CycleOutcome =
  | {
      kind: 'accepted';
      epoch: number | null;
      weight: number | null;
      enrolledWeight: number | null;
      nextAttestAt: number;
    }
  | { kind: 'rejected'; stage: MinerStage; status: number | null; code: string | null; message: string }
  | { kind: 'unreachable'; stage: MinerStage; message: string }
  | { kind: 'duplicate_hardware'; message: string; retryAt: number }
  | { kind: 'fatal'; stage: MinerStage; status: number | null; code: string | null; message: string };

/** A failure tagged with the D.1 stage it happened in; `recorded` when miner.db already has it. */
class StageError extends Error {
  constructor(
    readonly stage: MinerStage,
    readonly inner: unknown,
    readonly recorded = false,
  ) {
    super(inner instanceof Error ? inner.message : String(inner));
  }
}

export class Miner {
  readonly events = new MinerEmitter();
  readonly minerId: string;
  private readonly client: NodeClient;
  private readonly facts: DeviceFacts;
  private readonly backoff: Backoff;
  private readonly random: () => number;
  private readonly now: () => number;
  private state: MinerState = 'idle';
  private controller: AbortController | null = null;
  private running: Promise<void> | null = null;
  private ours: boolean | null = null;
  private chainId: string | null = null;
  private lastBalanceAt = -Infinity;
  private fatal: CycleOutcome | null = null;

  constructor(private readonly opts: MinerOptions) {
    this.client = opts.client ?? new NodeClient(opts.nodeUrl);
    this.facts = opts.facts ?? collectFacts();
    this.minerId = minerIdFor(this.facts.arch, this.facts.hostname);
    this.random = opts.random ?? Math.random;
    this.now = opts.now ?? Date.now;
    this.backoff = new Backoff(opts.backoff?.baseMs, opts.backoff?.capMs, this.random);
  }

  get address(): string {
    return this.opts.identity.address;
  }

  get status(): MinerState {
    return this.state;
  }

  /** Why the loop stopped on its own (reference-node hardware binding, D.6), if it did. */
  get stoppedBecause(): CycleOutcome | null {
    return this.fatal;
  }

  private setState(state: MinerState): void {
    if (this.state === state) return;
    this.state = state;
    this.events.emit('status', { state });
  }

  /** D.1 `--once`: start-up health check and one cycle. */
  async runOnce(signal?: AbortSignal): Promise<CycleOutcome> {
    try {
      if (!(await this.connect(signal))) return { kind: 'unreachable', stage: 'health', message: 'node unreachable' };
      return await this.cycle(signal);
    } finally {
      this.setState('stopped');
    }
  }

  /** Runs the loop in the background until stop(). */
  start(): void {
    if (this.running) return;
    this.controller = new AbortController();
    this.fatal = null;
    const signal = this.controller.signal;
    this.running = this.loop(signal).finally(() => {
      this.running = null;
      this.setState('stopped');
    });
  }

  async stop(): Promise<void> {
    this.controller?.abort();
    await this.running;
  }

  /** Resolves when the loop ends (stop() or a fatal refusal). */
  async finished(): Promise<void> {
    await this.running;
  }

  private async loop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      if (this.ours === null && !(await this.connect(signal))) {
        await this.backoffWait(signal);
        continue;
      }
      const outcome = await this.cycle(signal);
      if (signal.aborted) break;
      switch (outcome.kind) {
        case 'accepted':
          this.backoff.reset();
          await this.waitUntil(outcome.nextAttestAt, signal);
          break;
        case 'duplicate_hardware':
          await this.waitUntil(outcome.retryAt, signal);
          break;
        case 'fatal':
          this.fatal = outcome;
          return;
        case 'unreachable':
          this.ours = null; // re-run the health check: the node may come back as another implementation
          await this.backoffWait(signal);
          break;
        default:
          await this.backoffWait(signal);
      }
    }
  }

  private async backoffWait(signal: AbortSignal): Promise<void> {
    this.setState('backoff');
    await sleep(this.backoff.next(), signal);
  }

  private async waitUntil(unixSeconds: number, signal: AbortSignal): Promise<void> {
    this.setState('waiting');
    this.events.emit('waiting', { next_attest_at: unixSeconds });
    const deadline = unixSeconds * 1000;
    while (!signal.aborted && this.now() < deadline) {
      await this.maybeBalance();
      await sleep(Math.min(deadline - this.now(), BALANCE_EVERY_MS), signal);
    }
  }

  private async maybeBalance(): Promise<void> {
    if (this.now() - this.lastBalanceAt < BALANCE_EVERY_MS) return;
    this.lastBalanceAt = this.now();
    try {
      const b = await this.client.balance(this.address);
      this.events.emit('balance', { amount_rtc: b.amount_rtc });
    } catch {
      // informational only; the next cycle reports node trouble
    }
  }

  /** D.1 start: GET /health until 200, 3 tries with 2 s and 4 s between them. */
  async connect(signal?: AbortSignal): Promise<boolean> {
    this.setState('connecting');
    const delays = this.opts.healthDelaysMs ?? [2000, 4000];
    for (let attempt = 0; attempt <= delays.length; attempt++) {
      if (signal?.aborted) return false;
      try {
        const h = await this.client.health();
        if (h.ok) {
          this.ours = (h.implementation ?? '').startsWith('rustchain-desktop/');
          this.chainId = this.ours ? (await this.client.networkInfo()).chain_id : null;
          return true;
        }
        throw new NodeClientError('rejected', 'the node reports it is not healthy', 503, h.raw);
      } catch (e) {
        const last = attempt === delays.length;
        this.reportError('health', e, last ? null : (delays[attempt] ?? 0));
        if (last) {
          this.recordFailure('health', e, null);
          return false;
        }
        await sleep(delays[attempt] ?? 0, signal);
      }
    }
    return false;
  }

  /** One D.1 cycle (steps 1–4) and the time of the next one (step 5). */
  async cycle(signal?: AbortSignal): Promise<CycleOutcome> {
    let replayRetried = false;
    for (;;) {
      try {
        return await this.attestAndEnroll(signal);
      } catch (e) {
        const stage = e instanceof StageError ? e.stage : 'submit';
        const cause = e instanceof StageError ? e.inner : e;
        // stopping mid-cycle is not a failure worth recording
        if (signal?.aborted)
          return { kind: 'rejected', stage, status: null, code: 'stopped', message: 'miner stopped' };
        const code = cause instanceof NodeClientError ? (cause.nodeCode ?? null) : null;
        const status = cause instanceof NodeClientError ? (cause.status ?? null) : null;
        if (
          stage === 'submit' &&
          status === 409 &&
          (code === 'CHALLENGE_INVALID' || code === 'NONCE_REPLAY') &&
          !replayRetried
        ) {
          replayRetried = true;
          this.reportError(stage, cause, 0);
          continue; // D.1: back to step 1 once
        }
        const outcome = this.failure(stage, cause, e instanceof StageError && e.recorded);
        if (outcome.kind === 'duplicate_hardware') outcome.retryAt = await this.nextEpochStart(outcome.retryAt);
        return outcome;
      }
    }
  }

  /** Just after the current epoch ends (our node), else `fallback`. */
  private async nextEpochStart(fallback: number): Promise<number> {
    try {
      const info = await this.client.epoch();
      return info.epoch_end !== null ? info.epoch_end + 1 : fallback;
    } catch {
      return fallback;
    }
  }

  private failure(stage: MinerStage, cause: unknown, recorded: boolean): CycleOutcome {
    const message = cause instanceof Error ? cause.message : String(cause);
    const err = cause instanceof NodeClientError ? cause : null;
    const status = err?.status ?? null;
    const code = err?.nodeCode ?? null;
    if (!recorded) this.recordFailure(stage, cause, null);
    if (err?.noAnswer) {
      this.reportError(stage, cause, null);
      return { kind: 'unreachable', stage, message };
    }
    if (stage === 'submit' && status === 409 && (code === 'DUPLICATE_HARDWARE' || code === 'HARDWARE_BINDING_FAILED')) {
      if (this.ours) {
        // D.1: our node's bindings lapse; try again once per epoch
        this.reportError(stage, cause, null);
        return { kind: 'duplicate_hardware', message, retryAt: Math.floor(this.now() / 1000) + RATE_LIMIT_WAIT_S };
      }
      this.reportError(stage, cause, null);
      return { kind: 'fatal', stage, status, code, message };
    }
    this.reportError(stage, cause, null);
    return { kind: 'rejected', stage, status, code, message };
  }

  private reportError(stage: MinerStage, cause: unknown, retryInMs: number | null): void {
    const err = cause instanceof NodeClientError ? cause : null;
    this.events.emit('failure', {
      stage,
      status: err?.status ?? null,
      code: err ? (err.nodeCode ?? err.kind) : null,
      message: cause instanceof Error ? cause.message : String(cause),
      retry_in_ms: retryInMs,
    });
  }

  private recordFailure(stage: MinerStage, cause: unknown, epoch: number | null): void {
    const err = cause instanceof NodeClientError ? cause : null;
    this.record({
      stage,
      outcome: err?.noAnswer ? 'unreachable' : err ? 'rejected' : 'error',
      status: err?.status ?? null,
      code: err ? (err.nodeCode ?? err.kind) : null,
      message: cause instanceof Error ? cause.message : String(cause),
      epoch,
    });
  }

  private record(partial: Partial<AttemptRecord> & Pick<AttemptRecord, 'stage' | 'outcome'>): number | null {
    if (!this.opts.store) return null;
    const id = this.opts.store.record({
      at: this.now(),
      node: this.opts.nodeUrl,
      miner: this.address,
      epoch: null,
      status: null,
      code: null,
      message: null,
      fingerprintPassed: null,
      weight: null,
      enrolledWeight: null,
      fidelity: null,
      fingerprint: null,
      ...partial,
    });
    this.events.emit('result', { attemptId: id, outcome: partial.outcome, epoch: partial.epoch ?? null });
    return id;
  }

  private async stage<T>(stage: MinerStage, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw new StageError(stage, e);
    }
  }

  private async challenge(signal?: AbortSignal): Promise<string> {
    for (;;) {
      try {
        return (await this.client.challenge(this.address)).nonce;
      } catch (e) {
        if (e instanceof NodeClientError && e.status === 429 && !signal?.aborted) {
          const waitMs = (e.retryAfterSeconds ?? RATE_LIMIT_WAIT_S) * 1000;
          this.reportError('challenge', e, waitMs);
          await sleep(waitMs, signal);
          if (!signal?.aborted) continue;
        }
        throw new StageError('challenge', e);
      }
    }
  }

  private async measure(signal?: AbortSignal): Promise<FingerprintResult> {
    this.setState('measuring');
    const params: MeasureParams = { ...this.opts.fingerprint?.params };
    if (this.opts.duty !== undefined) params.duty = this.opts.duty;
    const result = await this.stage('fingerprint', () =>
      measureFingerprint({
        params,
        forceFallback: this.opts.fingerprint?.forceFallback,
        signal,
        onProgress: (check, fraction) => this.events.emit('progress', { check, fraction }),
      }),
    );
    if (result.fidelity === 'fallback') this.events.emit('fallback', { reason: result.fallbackReason });
    return result;
  }

  private async attestAndEnroll(signal?: AbortSignal): Promise<CycleOutcome> {
    const miner = this.address;
    // Measure before asking for the nonce: the fingerprint does not depend on it, and a nonce fetched
    // after the (seconds-long) measurement is still inside its epoch on short dev-chain epochs.
    const fp = await this.measure(signal);
    this.setState('submitting');
    const nonce = await this.challenge(signal);
    const { device, signals } = deviceAndSignals(this.facts, this.ours ? this.chainId : null);
    const body: JsonObject = {
      miner,
      miner_id: this.minerId,
      nonce,
      report: buildReport(nonce, miner),
      device,
      signals,
      fingerprint: fp.fingerprint,
    };
    const binding = measurementBinding(nonce);
    if (binding) body['measurement_binding'] = binding;
    const signature = this.opts.identity.sign(attestationSigningMessage(body));
    body['signature'] = bytesToHex(signature);
    body['public_key'] = this.opts.identity.publicKeyHex;
    body['signature_type'] = 'canonical_json';

    this.setState('submitting');
    let answer: JsonObject;
    try {
      answer = await this.client.submitAttestation(body);
    } catch (e) {
      if (e instanceof NodeClientError && !e.noAnswer) {
        // a refusal still measured something: keep the checks with the record
        this.record({
          stage: 'submit',
          outcome: 'rejected',
          status: e.status ?? null,
          code: e.nodeCode ?? null,
          message: e.message,
          fidelity: fp.fidelity,
          fingerprint: fp.fingerprint,
        });
        throw new StageError('submit', e, true);
      }
      throw new StageError('submit', e);
    }
    const attestedAt = this.now() / 1000;
    const epoch = numberOrNull(answer['epoch']);
    const weight = numberOrNull(answer['weight']);
    const passed = typeof answer['fingerprint_passed'] === 'boolean' ? answer['fingerprint_passed'] : null;
    const attemptId = this.record({
      stage: 'submit',
      outcome: 'accepted',
      status: 200,
      epoch,
      weight,
      fingerprintPassed: passed,
      fidelity: fp.fidelity,
      fingerprint: fp.fingerprint,
    });
    this.events.emit('attested', {
      miner,
      epoch,
      fingerprint_passed: passed,
      device_family: stringOrNull(answer['device_family']),
      device_arch: stringOrNull(answer['device_arch']),
      weight,
      fidelity: fp.fidelity,
      reasons: Array.isArray(answer['reasons'])
        ? answer['reasons'].filter((r): r is string => typeof r === 'string')
        : [],
    });
    if (epoch !== null) this.events.emit('epoch', { epoch });
    if (weight !== null) this.events.emit('weight', { weight });

    this.setState('enrolling');
    const { info, enrolledWeight } = await this.enroll(fp, attemptId);
    return { kind: 'accepted', epoch, weight, enrolledWeight, nextAttestAt: this.nextAttestAt(attestedAt, info) };
  }

  /** D.1 step 4; every failure here is logged and the miner carries on (A.7 client rule). */
  private async enroll(
    fp: FingerprintResult,
    attemptId: number | null,
  ): Promise<{ info: EpochInfo | null; enrolledWeight: number | null }> {
    let info: EpochInfo | null = null;
    try {
      info = await this.client.epoch();
      const sig = this.opts.identity.sign(enrollmentMessage(this.address, this.minerId, info.epoch));
      const answer = await this.client.enroll({
        miner_pubkey: this.address,
        miner_id: this.minerId,
        device: { family: this.facts.family, arch: this.facts.arch },
        fingerprint: fp.fingerprint,
        signature: bytesToHex(sig),
        public_key: this.opts.identity.publicKeyHex,
      });
      const weight = numberOrNull(answer['weight']) ?? 0;
      const epoch = numberOrNull(answer['epoch']) ?? info.epoch;
      if (attemptId !== null) this.opts.store?.setEnrolledWeight(attemptId, weight);
      this.events.emit('enrolled', { epoch, weight });
      return { info, enrolledWeight: weight };
    } catch (e) {
      this.reportError('enroll', e, null);
      return { info, enrolledWeight: null };
    }
  }

  /**
   * D.1 step 5: attested_at + 580 s; against our node no later than just after the current epoch
   * ends (plus up to J s of jitter, J = min(30, epoch length / 10)), so it attests in every epoch.
   */
  nextAttestAt(attestedAt: number, info: EpochInfo | null): number {
    const ttlBound = attestedAt + REATTEST_AFTER_S;
    if (!this.ours || !info || info.epoch_end === null || info.epoch_start === null) return ttlBound;
    const j = Math.min(30, (info.epoch_end - info.epoch_start) / 10);
    return Math.min(ttlBound, info.epoch_end + 1 + this.random() * j);
  }
}

function numberOrNull(v: JsonValue | undefined): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof PyFloat) return v.value;
  return null;
}

function stringOrNull(v: JsonValue | undefined): string | null {
  return typeof v === 'string' ? v : null;
}
