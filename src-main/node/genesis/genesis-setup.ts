/**
 * Which genesis a data directory runs (PROTOCOL.md B.0, E.2): the stored `genesis.json` wins; on a first
 * start it comes from `--genesis`, dev mode or the devnet default. Every refusal is a StartupError
 * (exit 7) with a message for the operator.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson, parseJson, type JsonValue } from '../../protocol/canonical-json.js';
import { hexToBytes, sha256Hex } from '../../protocol/bytes.js';
import { genesisHash, genesisToJson, validateGenesis, type Genesis } from '../../protocol/genesis.js';
import { DEV_ACCOUNT_AMOUNT_I64, DEV_CHAIN_ID, devAccounts } from '../../protocol/dev-accounts.js';
import { StartupError } from '../errors.js';
import { replaceFileAtomic } from '../../platform/atomic-file.js';
import { epochAtParams } from '../chain/schedule.js';

export const REFERENCE_GENESIS_TIME = 1764706927;

export interface GenesisRequest {
  dataDir: string;
  genesisFile?: string | undefined;
  dev: boolean;
  slotSeconds?: number | undefined;
  epochSlots?: number | undefined;
  validatorPublicKey: string;
  now: number;
  /** The node runs multi-validator finality over P2P (stage 2); otherwise n > 1 is refused. */
  multiValidator?: boolean;
}

export interface ResolvedGenesis {
  genesis: Genesis;
  hash: string;
  dev: boolean;
  created: boolean;
  warnings: string[];
}

function readGenesisFile(path: string): Genesis {
  let value: JsonValue;
  try {
    value = parseJson(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new StartupError(`genesis ${path} is not readable JSON: ${(err as Error).message}`);
  }
  const r = validateGenesis(value);
  if (!r.ok) throw new StartupError(`genesis ${path} is invalid: ${r.problems.join('; ')}`);
  return r.genesis;
}

export function devnetDefaultGenesis(validatorPublicKey: string, now: number): Genesis {
  const slotSeconds = 600;
  const epochSlots = 144;
  return {
    chain_id: 'rustchain-devnet-' + sha256Hex(hexToBytes(validatorPublicKey)).slice(0, 8),
    protocol_version: 1,
    genesis_time: REFERENCE_GENESIS_TIME,
    slot_seconds: slotSeconds,
    epoch_slots: epochSlots,
    grace_seconds: 600,
    view_timeout_seconds: 60,
    first_epoch: Math.max(0, epochAtParams(now, REFERENCE_GENESIS_TIME, slotSeconds, epochSlots)),
    epoch_pot_i64: 1_500_000,
    validators: [{ public_key: validatorPublicKey, name: 'local' }],
    allocations: [],
  };
}

export function devGenesis(validatorPublicKey: string, now: number, slotSeconds = 2, epochSlots = 30): Genesis {
  const accounts = devAccounts().sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  return {
    chain_id: DEV_CHAIN_ID,
    protocol_version: 1,
    genesis_time: REFERENCE_GENESIS_TIME,
    slot_seconds: slotSeconds,
    epoch_slots: epochSlots,
    grace_seconds: slotSeconds,
    view_timeout_seconds: 5,
    first_epoch: Math.max(0, epochAtParams(now, REFERENCE_GENESIS_TIME, slotSeconds, epochSlots)),
    epoch_pot_i64: 1_500_000,
    validators: [{ public_key: validatorPublicKey, name: 'local' }],
    allocations: accounts.map((a) => ({ address: a.address, amount_i64: DEV_ACCOUNT_AMOUNT_I64 })),
  };
}

export function genesisFileText(g: Genesis): string {
  return canonicalJson(genesisToJson(g)) + '\n';
}

export function resolveGenesis(req: GenesisRequest): ResolvedGenesis {
  const storedPath = join(req.dataDir, 'genesis.json');
  const warnings: string[] = [];
  let genesis: Genesis;
  let created = false;
  if (existsSync(storedPath)) {
    genesis = readGenesisFile(storedPath);
    if (req.genesisFile !== undefined) {
      const given = readGenesisFile(req.genesisFile);
      if (genesisHash(given) !== genesisHash(genesis)) {
        throw new StartupError(
          `--genesis ${req.genesisFile} (hash ${genesisHash(given)}) differs from the stored genesis of this data directory (hash ${genesisHash(genesis)})`,
        );
      }
    }
    const storedDev = genesis.chain_id === DEV_CHAIN_ID;
    if (storedDev && !req.dev) {
      throw new StartupError('this data directory was made in dev mode; start it with --dev');
    }
    if (!storedDev && req.dev) {
      throw new StartupError('this data directory is not a dev-mode chain; start it without --dev');
    }
    if (req.dev) {
      if (req.slotSeconds !== undefined && req.slotSeconds !== genesis.slot_seconds) {
        warnings.push(`--slot-seconds ${req.slotSeconds} ignored: the stored genesis uses ${genesis.slot_seconds}`);
      }
      if (req.epochSlots !== undefined && req.epochSlots !== genesis.epoch_slots) {
        warnings.push(`--epoch-slots ${req.epochSlots} ignored: the stored genesis uses ${genesis.epoch_slots}`);
      }
    }
  } else {
    if (req.genesisFile !== undefined) {
      genesis = readGenesisFile(req.genesisFile);
    } else if (req.dev) {
      genesis = devGenesis(req.validatorPublicKey, req.now, req.slotSeconds ?? 2, req.epochSlots ?? 30);
    } else {
      genesis = devnetDefaultGenesis(req.validatorPublicKey, req.now);
    }
    const check = validateGenesis(genesisToJson(genesis));
    if (!check.ok) throw new StartupError(`genesis is invalid: ${check.problems.join('; ')}`);
    created = true;
  }
  if (genesis.validators.length > 1 && !req.multiValidator) {
    throw new StartupError(
      `the genesis lists ${genesis.validators.length} validators; multi-validator finality needs peers (--peer or --p2p-port)`,
    );
  }
  if (created) replaceFileAtomic(storedPath, genesisFileText(genesis), 0o644);
  return { genesis, hash: genesisHash(genesis), dev: genesis.chain_id === DEV_CHAIN_ID, created, warnings };
}
