/**
 * `rustchain miner [--node URL] [--wallet ADDRESS | --keystore FILE] [--once] [--json]` (PROTOCOL.md
 * E.4): the D.1 attestation loop with E.4 event lines.
 */
import type { Command } from 'commander';
import { defaultHome, walletsDir } from '../../platform/home.js';
import { KeystoreStore } from '../../wallet/keystore-store.js';
import { decryptKeystore, KeystoreError } from '../../wallet/keystore.js';
import { WalletError } from '../../wallet/errors.js';
import { RTC_ADDRESS_FORMAT } from '../../protocol/keys.js';
import { AttemptStore, minerDbPath } from '../../miner/attempt-store.js';
import { identityFromSeed, loadOrCreateMinerKey, MinerKeyError, type MinerIdentity } from '../../miner/identity.js';
import { Miner, type CycleOutcome } from '../../miner/miner.js';
import { CliError } from '../errors.js';
import { action, diag, printJson } from '../output.js';
import { getPassword } from '../secrets.js';

interface MinerCliOptions {
  json?: boolean;
  node?: string;
  wallet?: string;
  keystore?: string;
  once?: boolean;
  duty?: string;
}

async function walletIdentity(home: string, ref: string): Promise<MinerIdentity> {
  const store = new KeystoreStore(walletsDir(home));
  try {
    const loaded = store.load(store.resolve(ref));
    const seed = await decryptKeystore(loaded.parsed, await getPassword());
    const id = identityFromSeed(seed, 'keystore');
    seed.fill(0);
    return id;
  } catch (e) {
    if (e instanceof WalletError || e instanceof KeystoreError) throw new CliError(e.code, e.message);
    throw e;
  }
}

async function identityFor(opts: MinerCliOptions, home: string): Promise<MinerIdentity> {
  if (opts.wallet !== undefined && opts.keystore !== undefined)
    throw new CliError('usage', 'use either --wallet or --keystore');
  if (opts.keystore !== undefined) return walletIdentity(home, opts.keystore);
  if (opts.wallet !== undefined) {
    if (!RTC_ADDRESS_FORMAT.test(opts.wallet))
      throw new CliError('invalid_address', `not an RTC address: ${opts.wallet}`);
    return walletIdentity(home, opts.wallet);
  }
  try {
    return loadOrCreateMinerKey(home);
  } catch (e) {
    if (e instanceof MinerKeyError) throw new CliError('keystore_corrupt', e.message);
    throw e;
  }
}

function parseDuty(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const d = Number(text);
  if (!Number.isFinite(d) || d < 0.05 || d > 1) throw new CliError('usage', '--duty must be a number from 0.05 to 1');
  return d;
}

function say(json: boolean, event: Record<string, unknown>, human: string): void {
  if (json) printJson(event);
  else process.stdout.write(human + '\n');
}

function attach(miner: Miner, json: boolean): void {
  miner.events.on('attested', (e) => {
    const event: Record<string, unknown> = {
      event: 'attested',
      miner: e.miner,
      epoch: e.epoch,
      fingerprint_passed: e.fingerprint_passed,
    };
    if (e.device_family !== null) event['device_family'] = e.device_family;
    if (e.device_arch !== null) event['device_arch'] = e.device_arch;
    if (e.weight !== null) event['weight'] = e.weight;
    if (e.fidelity === 'fallback') event['fidelity'] = 'fallback';
    const reasons = e.reasons.length > 0 ? ` (${e.reasons.join(', ')})` : '';
    say(
      json,
      event,
      `attested epoch ${e.epoch ?? '?'}: fingerprint ${e.fingerprint_passed ? 'passed' : 'failed'}${reasons}, weight ${e.weight ?? '?'}`,
    );
  });
  miner.events.on('enrolled', (e) =>
    say(
      json,
      { event: 'enrolled', epoch: e.epoch, weight: e.weight },
      `enrolled in epoch ${e.epoch} with weight ${e.weight}`,
    ),
  );
  miner.events.on('waiting', (e) =>
    say(
      json,
      { event: 'waiting', next_attest_at: Math.round(e.next_attest_at) },
      `next attestation at ${new Date(e.next_attest_at * 1000).toISOString()}`,
    ),
  );
  miner.events.on('failure', (e) =>
    say(
      json,
      { event: 'error', stage: e.stage, status: e.status, code: e.code, message: e.message },
      `error during ${e.stage}: ${e.message}${e.code ? ` (${e.code})` : ''}`,
    ),
  );
  miner.events.on('fallback', (e) =>
    diag(`note: native fingerprint addon unavailable (${e.reason ?? 'unknown'}); using the lower-fidelity fallback`),
  );
}

function exitCodeOf(outcome: CycleOutcome): number {
  switch (outcome.kind) {
    case 'accepted':
      return 0;
    case 'unreachable':
      return 2;
    default:
      return 3;
  }
}

async function run(opts: MinerCliOptions): Promise<void> {
  const json = opts.json === true;
  const nodeUrl = opts.node ?? process.env.RUSTCHAIN_NODE ?? 'http://127.0.0.1:8099';
  const duty = parseDuty(opts.duty);
  const home = defaultHome();
  const identity = await identityFor(opts, home);
  const store = new AttemptStore(minerDbPath(home));
  let miner: Miner;
  try {
    miner = new Miner({ nodeUrl, identity, store, duty });
  } catch (e) {
    store.close();
    throw new CliError('usage', e instanceof Error ? e.message : String(e));
  }
  attach(miner, json);
  if (!json) diag(`mining as ${identity.address} (${miner.minerId}) against ${nodeUrl}`);
  const controller = new AbortController();
  const onSignal = (): void => {
    controller.abort();
    void miner.stop();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    if (opts.once) {
      const outcome = await miner.runOnce(controller.signal);
      if (controller.signal.aborted) return;
      process.exitCode = exitCodeOf(outcome);
      return;
    }
    miner.start();
    await miner.finished();
    const fatal = miner.stoppedBecause;
    if (fatal && !controller.signal.aborted) {
      diag(`stopped: ${fatal.kind === 'fatal' ? fatal.message : fatal.kind}`);
      process.exitCode = 3;
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    store.close();
  }
}

export function register(program: Command): void {
  program
    .command('miner')
    .description('attest this machine to a node every epoch (PROTOCOL.md D.1)')
    .option('--node <url>', 'node URL (default $RUSTCHAIN_NODE or http://127.0.0.1:8099)')
    .option('--wallet <address>', 'mine for this wallet (its keystore in <home>/wallets/)')
    .option('--keystore <file>', 'mine for the wallet in this keystore file (password from RUSTCHAIN_PASSWORD)')
    .option('--once', 'one attestation cycle, then exit')
    .option('--duty <fraction>', 'CPU budget while measuring: 0.05 to 1 (default 1 = one core flat out)')
    .action(action(async (_opts: MinerCliOptions, cmd: Command) => run(cmd.optsWithGlobals<MinerCliOptions>())));
}
