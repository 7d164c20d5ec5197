/**
 * `rustchain genesis create` (PROTOCOL.md E.6): writes a genesis file for test networks and harnesses;
 * never overwrites an existing file.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { validateGenesis, genesisHash, type Genesis } from '../../protocol/genesis.js';
import { RTC_ADDRESS } from '../../protocol/keys.js';
import { REFERENCE_GENESIS_TIME, genesisFileText } from '../../node/genesis/genesis-setup.js';
import { readOrCreateKeyFile, KeyFileError } from '../../node/genesis/key-files.js';
import { epochAtParams } from '../../node/chain/schedule.js';
import { createFileAtomic, FileExistsError } from '../../platform/atomic-file.js';
import { CliError } from '../errors.js';
import { action, printResult } from '../output.js';

interface CreateOptions {
  out: string;
  chainId: string;
  validatorKey: string[];
  alloc?: string[];
  genesisTime?: string;
  slotSeconds?: string;
  epochSlots?: string;
  graceSeconds?: string;
  viewTimeoutSeconds?: string;
  firstEpoch?: string;
  epochPot?: string;
  json?: boolean;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function intOpt(name: string, v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (!/^-?[0-9]+$/.test(v) || !Number.isSafeInteger(Number(v))) {
    throw new CliError('invalid_genesis', `${name} must be an integer`);
  }
  return Number(v);
}

export function register(program: Command): void {
  const genesis = program.command('genesis').description('genesis files for test networks');
  genesis
    .command('create')
    .description('write a genesis file (B.0)')
    .requiredOption('--out <file>', 'output file (never overwritten)')
    .requiredOption('--chain-id <id>', 'chain id')
    .requiredOption('--validator-key <file>', 'validator key file (repeatable; created if missing)', collect)
    .option('--alloc <address=uamount>', 'initial balance in µRTC (repeatable)', collect)
    .option('--genesis-time <unix>', 'genesis time (default 1764706927)')
    .option('--slot-seconds <n>', 'slot length (default 600)')
    .option('--epoch-slots <n>', 'slots per epoch (default 144)')
    .option('--grace-seconds <n>', 'proposal grace (default = slot seconds)')
    .option('--view-timeout-seconds <n>', 'finality view timeout (default 60)')
    .option('--first-epoch <n>', 'first epoch (default: the current epoch)')
    .option('--epoch-pot <uamount>', 'epoch pot in µRTC (default 1500000)')
    .action(
      action(async (_o: CreateOptions, cmd: Command) => {
        const o = cmd.optsWithGlobals<CreateOptions>();
        if (existsSync(o.out)) throw new CliError('file_exists', `${o.out} already exists`);
        const genesisTime = intOpt('--genesis-time', o.genesisTime, REFERENCE_GENESIS_TIME);
        const slotSeconds = intOpt('--slot-seconds', o.slotSeconds, 600);
        const epochSlots = intOpt('--epoch-slots', o.epochSlots, 144);
        if (slotSeconds < 1 || epochSlots < 1) {
          throw new CliError('invalid_genesis', '--slot-seconds and --epoch-slots must be at least 1');
        }
        const current = Math.max(0, epochAtParams(Date.now() / 1000, genesisTime, slotSeconds, epochSlots));
        const validators = o.validatorKey.map((path, i) => {
          try {
            return { public_key: readOrCreateKeyFile(path, 'rustchain-validator-key').publicKey, name: `v${i}` };
          } catch (err) {
            if (err instanceof KeyFileError) throw new CliError('invalid_genesis', err.message);
            throw err;
          }
        });
        const allocations = (o.alloc ?? []).map((a) => {
          const m = /^(RTC[0-9a-f]{40})=([0-9]+)$/.exec(a);
          if (!m || !RTC_ADDRESS.test(m[1] as string)) {
            throw new CliError(
              'invalid_genesis',
              `--alloc ${a}: expected ADDRESS=UAMOUNT with a lower-case RTC address`,
            );
          }
          const amount = Number(m[2]);
          if (!Number.isSafeInteger(amount) || amount < 1)
            throw new CliError('invalid_genesis', `--alloc ${a}: amount out of range`);
          return { address: m[1] as string, amount_i64: amount };
        });
        const g: Genesis = {
          chain_id: o.chainId,
          protocol_version: 1,
          genesis_time: genesisTime,
          slot_seconds: slotSeconds,
          epoch_slots: epochSlots,
          grace_seconds: intOpt('--grace-seconds', o.graceSeconds, slotSeconds),
          view_timeout_seconds: intOpt('--view-timeout-seconds', o.viewTimeoutSeconds, 60),
          first_epoch: intOpt('--first-epoch', o.firstEpoch, current),
          epoch_pot_i64: intOpt('--epoch-pot', o.epochPot, 1_500_000),
          validators,
          allocations,
        };
        const check = validateGenesis(g as unknown as Parameters<typeof validateGenesis>[0]);
        if (!check.ok) throw new CliError('invalid_genesis', check.problems.join('; '));
        try {
          createFileAtomic(o.out, genesisFileText(g), 0o644);
        } catch (err) {
          if (err instanceof FileExistsError) throw new CliError('file_exists', `${o.out} already exists`);
          throw err;
        }
        const hash = genesisHash(g);
        printResult(
          o,
          { genesis: o.out, genesis_hash: hash, chain_id: g.chain_id, first_epoch: g.first_epoch },
          () => `wrote ${o.out} (chain ${g.chain_id}, first epoch ${g.first_epoch}, genesis hash ${hash})`,
        );
      }),
    );
}
