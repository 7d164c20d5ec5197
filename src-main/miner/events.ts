/** Typed events of the miner for the UI and the CLI (E.4 event lines are built from these). */
import { EventEmitter } from 'node:events';
import type { CheckName } from './fingerprint/raw.js';
import type { Fidelity } from './fingerprint/index.js';

export type MinerState =
  'idle' | 'connecting' | 'measuring' | 'submitting' | 'enrolling' | 'waiting' | 'backoff' | 'stopped';
export type MinerStage = 'health' | 'challenge' | 'fingerprint' | 'submit' | 'enroll';

export interface MinerEvents {
  status: [{ state: MinerState }];
  progress: [{ check: CheckName; fraction: number }];
  attested: [
    {
      miner: string;
      epoch: number | null;
      fingerprint_passed: boolean | null;
      device_family: string | null;
      device_arch: string | null;
      weight: number | null;
      fidelity: Fidelity;
      reasons: string[];
    },
  ];
  enrolled: [{ epoch: number; weight: number }];
  waiting: [{ next_attest_at: number }];
  epoch: [{ epoch: number }];
  weight: [{ weight: number }];
  balance: [{ amount_rtc: number }];
  /**
   * Something went wrong at a D.1 stage (not named `error`: an EventEmitter `error` without a listener
   * would throw). The CLI prints these as E.4 `error` lines.
   */
  failure: [
    { stage: MinerStage; status: number | null; code: string | null; message: string; retry_in_ms: number | null },
  ];
  /** A fingerprint measured by the fallback (lower fidelity); emitted once per measurement. */
  fallback: [{ reason: string | null }];
  /** One finished cycle: its outcome as recorded in miner.db. */
  result: [{ attemptId: number; outcome: string; epoch: number | null }];
}

export class MinerEmitter extends EventEmitter {
  override emit<K extends keyof MinerEvents>(event: K, ...args: MinerEvents[K]): boolean {
    return super.emit(event, ...args);
  }
  override on<K extends keyof MinerEvents>(event: K, listener: (...args: MinerEvents[K]) => void): this {
    return super.on(event, listener as (...a: unknown[]) => void);
  }
  override once<K extends keyof MinerEvents>(event: K, listener: (...args: MinerEvents[K]) => void): this {
    return super.once(event, listener as (...a: unknown[]) => void);
  }
  override off<K extends keyof MinerEvents>(event: K, listener: (...args: MinerEvents[K]) => void): this {
    return super.off(event, listener as (...a: unknown[]) => void);
  }
}
