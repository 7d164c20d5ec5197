/**
 * Binds the app's MinerPort to the attestation loop (src-main/miner/miner.ts). The identity's secret key is
 * loaded here (per-install miner key, or a wallet keystore decrypted with the password of one call) and
 * stays inside the Miner; the UI only ever sees the address and the loop's typed events, mapped to
 * MinerStatus patches.
 */
import { AttemptStore, minerDbPath } from '../miner/attempt-store.js';
import { identityFromSeed, loadOrCreateMinerKey, type MinerIdentity } from '../miner/identity.js';
import { Miner } from '../miner/miner.js';
import { walletsDir } from '../platform/home.js';
import { KeystoreStore } from '../wallet/keystore-store.js';
import { decryptKeystore, KeystoreError } from '../wallet/keystore.js';
import { WalletError } from '../wallet/errors.js';
import type { MinerAttempt, MinerDetails, MinerStatus } from './contract.js';
import { AppError } from './errors.js';
import type { MinerPort, MinerStartRequest, NodePort } from './ports.js';

const ACTIVITY: Record<string, string> = {
  idle: 'idle',
  connecting: 'checking the node',
  measuring: 'measuring the fingerprint',
  submitting: 'submitting the attestation',
  enrolling: 'enrolling in the epoch',
  waiting: 'waiting for the next attestation',
  backoff: 'waiting after a failure',
  stopped: 'stopped',
};

async function walletIdentity(home: string, address: string, password: string): Promise<MinerIdentity> {
  const store = new KeystoreStore(walletsDir(home));
  try {
    const loaded = store.load(store.resolve(address));
    const seed = await decryptKeystore(loaded.parsed, password);
    const id = identityFromSeed(seed, 'keystore');
    seed.fill(0);
    return id;
  } catch (e) {
    if (e instanceof KeystoreError || (e instanceof WalletError && e.code === 'wrong_password')) {
      throw new AppError('wrong_password', 'wrong password');
    }
    if (e instanceof WalletError) throw new AppError('no_wallet', e.message);
    throw e;
  }
}

function toAttempt(a: ReturnType<AttemptStore['recent']>[number]): MinerAttempt {
  return {
    id: a.id,
    at: a.at,
    node: a.node,
    epoch: a.epoch,
    stage: a.stage,
    outcome: a.outcome,
    status: a.status,
    code: a.code,
    message: a.message,
    fingerprintPassed: a.fingerprintPassed,
    weight: a.weight,
    enrolledWeight: a.enrolledWeight,
    fidelity: a.fidelity,
  };
}

export function minerPortFor(home: string): MinerPort {
  let miner: Miner | null = null;
  let store: AttemptStore | null = null;
  const openStore = () => (store ??= new AttemptStore(minerDbPath(home)));

  return {
    async start(req: MinerStartRequest, onStatus: (patch: Partial<MinerStatus>) => void) {
      if (miner) await miner.stop();
      let identity: MinerIdentity;
      if (req.identity === 'wallet') {
        if (!req.address) throw new AppError('no_wallet', 'there is no wallet to mine for');
        if (!req.password) throw new AppError('wrong_password', 'enter the wallet password to mine for it');
        identity = await walletIdentity(home, req.address, req.password);
      } else {
        identity = loadOrCreateMinerKey(home);
      }
      const m = new Miner({ nodeUrl: req.nodeUrl, identity, store: openStore(), duty: req.duty });
      miner = m;
      m.events.on('status', ({ state }) => {
        if (miner !== m) return;
        const mapped: MinerStatus['state'] =
          state === 'stopped' ? 'stopped' : state === 'waiting' ? 'waiting' : state === 'backoff' ? 'error' : 'running';
        const patch: Partial<MinerStatus> = { state: mapped, activity: ACTIVITY[state] ?? state };
        if (state === 'stopped' && m.stoppedBecause && m.stoppedBecause.kind === 'fatal') {
          patch.state = 'error';
          patch.message = `the node refused this miner: ${m.stoppedBecause.message}`;
        }
        onStatus(patch);
      });
      m.events.on('attested', (a) =>
        onStatus({
          lastAttestedAt: Math.floor(Date.now() / 1000),
          lastEpoch: a.epoch,
          lastWeight: a.weight,
          deviceFamily: a.device_family,
          deviceArch: a.device_arch,
          fingerprintPassed: a.fingerprint_passed,
          fidelity: a.fidelity,
          reasons: a.reasons,
          message: null,
        }),
      );
      m.events.on('enrolled', (e) => onStatus({ enrolledEpoch: e.epoch, enrolledWeight: e.weight }));
      m.events.on('waiting', (w) => onStatus({ nextAttestAt: w.next_attest_at }));
      m.events.on('failure', (f) =>
        onStatus({ message: `${f.stage} failed: ${f.message}${f.code ? ` (${f.code})` : ''}` }),
      );
      m.start();
      return { address: identity.address, identity: req.identity };
    },
    async stop() {
      const m = miner;
      miner = null;
      await m?.stop();
    },
    async details(address: string | null, node: NodePort | null): Promise<MinerDetails> {
      const attempts = openStore()
        .recent(100)
        .filter((a) => address === null || a.miner === address);
      const measured = attempts.find((a) => a.checks.length > 0);
      let rewards: MinerDetails['rewards'] = [];
      let total = 0n;
      if (address && node) {
        try {
          const r = await node.client.getObject(`/api/v2/miner/${encodeURIComponent(address)}?limit=200`, {}, [404]);
          const list = Array.isArray(r['rewards']) ? r['rewards'] : [];
          rewards = list.flatMap((x) => {
            if (x === null || typeof x !== 'object' || Array.isArray(x)) return [];
            const o = x as Record<string, unknown>;
            const share = BigInt(String(o['share_i64'] ?? 0));
            total += share;
            return [
              { epoch: Number(o['epoch']), shareI64: share.toString(), weight: Number(o['weight_units'] ?? 0) / 1e9 },
            ];
          });
        } catch {
          // rewards are informational; the status line shows node trouble
        }
      }
      return {
        address,
        attempts: attempts.map(toAttempt),
        checks: measured?.checks ?? [],
        checksAt: measured?.at ?? null,
        rewards: rewards.reverse(),
        totalEarnedI64: total.toString(),
      };
    },
  };
}
