/**
 * The miner against our real node process: it attests, is enrolled, and rides out the node going
 * away and coming back. Needs the compiled CLI (`npm test` builds first).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AttemptStore, minerDbPath } from '../../src-main/miner/attempt-store.js';
import { loadOrCreateMinerKey, minerKeyPath } from '../../src-main/miner/identity.js';
import { Miner } from '../../src-main/miner/miner.js';
import type { MinerEvents } from '../../src-main/miner/events.js';
import { CLI_BUILT, freePort, startDevNode, type DevNode } from './dev-node.js';

// Fewer samples than D.4's defaults keep each cycle short; every value is still measured.
const QUICK = {
  driftSamples: 50,
  cacheRuns: 20,
  sweepRuns: 2,
  thermalSamples: 10,
  thermalHotMs: 200,
  jitterSamples: 30,
};

function nextEvent<K extends keyof MinerEvents>(
  miner: Miner,
  name: K,
  pred: (...a: MinerEvents[K]) => boolean = () => true,
): Promise<MinerEvents[K][0]> {
  return new Promise((res) => {
    const on = (...a: MinerEvents[K]): void => {
      if (!pred(...a)) return;
      miner.events.off(name, on);
      res(a[0]);
    };
    miner.events.on(name, on);
  });
}

describe.skipIf(!CLI_BUILT)('miner against our node', () => {
  let dir: string;
  let port: number;
  let node: DevNode | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rc-miner-'));
    port = await freePort();
    node = await startDevNode(join(dir, 'node'), port);
  });

  afterAll(async () => {
    await node?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('attests with a fresh fingerprint and is enrolled', async () => {
    // one miner key for both tests: our node binds this machine's hardware id to the first miner
    const home = join(dir, 'home');
    const identity = loadOrCreateMinerKey(home);
    expect(statSync(minerKeyPath(home)).mode & 0o777).toBe(0o600);
    const store = new AttemptStore(minerDbPath(home));
    const miner = new Miner({ nodeUrl: node!.url, identity, store, fingerprint: { params: QUICK } });
    const enrolled = nextEvent(miner, 'enrolled');
    const attested = nextEvent(miner, 'attested');
    const outcome = await miner.runOnce();
    expect(outcome.kind).toBe('accepted');
    const a = await attested;
    expect(a.miner).toBe(identity.address);
    expect(a.fidelity).toBe('native');
    expect(typeof a.epoch).toBe('number');
    // this machine is a VM: the node's rules fail the fingerprint and give weight 0
    expect(a.fingerprint_passed).toBe(false);
    expect(a.reasons).toContain('vm_detected');
    expect(a.weight).toBe(0);
    const e = await enrolled;
    expect(e.epoch).toBeGreaterThanOrEqual(a.epoch ?? 0);
    expect(e.weight).toBe(0);
    const [last] = store.recent(1);
    expect(last?.outcome).toBe('accepted');
    expect(last?.epoch).toBe(a.epoch);
    expect(last?.enrolledWeight).toBe(0);
    expect(last?.checks.map((c) => c.name)).toEqual([
      'anti_emulation',
      'cache_timing',
      'clock_drift',
      'instruction_jitter',
      'simd_identity',
      'thermal_drift',
    ]);
    expect(last?.checks.find((c) => c.name === 'anti_emulation')?.passed).toBe(false);
    store.close();
  });

  it('survives the node going away and coming back', async () => {
    const home = join(dir, 'home');
    const store = new AttemptStore(minerDbPath(home));
    const miner = new Miner({
      nodeUrl: node!.url,
      identity: loadOrCreateMinerKey(home),
      store,
      fingerprint: { params: QUICK },
      backoff: { baseMs: 200, capMs: 1500 },
      healthDelaysMs: [100, 200],
    });
    const waits: number[] = [];
    const failures: string[] = [];
    miner.events.on('failure', (f) => failures.push(`${f.stage}:${f.code ?? ''}`));
    miner.events.on('waiting', (w) => waits.push(w.next_attest_at));
    const first = nextEvent(miner, 'attested');
    miner.start();
    const a1 = await first;
    await node!.stop();
    const down = nextEvent(miner, 'failure', (e) => e.code === 'unreachable' || e.code === 'timeout');
    const sawDown = await down;
    expect(['health', 'challenge', 'submit', 'enroll']).toContain(sawDown.stage);
    node = await startDevNode(join(dir, 'node'), port);
    const again = await nextEvent(miner, 'attested');
    expect(failures.some((f) => f.includes('DUPLICATE_HARDWARE'))).toBe(false);
    expect(again.epoch).toBeGreaterThan(a1.epoch ?? -1);
    await miner.stop();
    expect(miner.status).toBe('stopped');
    const outcomes = store.recent(100).map((r) => r.outcome);
    expect(outcomes).toContain('unreachable');
    expect(outcomes.filter((o) => o === 'accepted').length).toBeGreaterThanOrEqual(2);
    expect(waits.length).toBeGreaterThanOrEqual(1);
    store.close();
  });
});
