/** `rustchain fingerprint [--json] [--full]` (PROTOCOL.md E.5): one fresh D.4 fingerprint as canonical JSON. */
import type { Command } from 'commander';
import { canonicalJson } from '../../protocol/canonical-json.js';
import { collectDevice } from '../../miner/device.js';
import { measureFingerprint, type FingerprintResult } from '../../miner/fingerprint/index.js';
import { CliError } from '../errors.js';
import { action, diag } from '../output.js';

interface FingerprintOptions {
  json?: boolean;
  full?: boolean;
}

async function run(opts: FingerprintOptions): Promise<void> {
  let result: FingerprintResult;
  try {
    result = await measureFingerprint();
  } catch (e) {
    throw new CliError(
      'unsupported_platform',
      `the fingerprint cannot be measured here: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  if (result.fidelity === 'fallback') {
    diag(
      `note: native fingerprint addon unavailable (${result.fallbackReason ?? 'unknown reason'}); lower-fidelity fallback measurements used`,
    );
  }
  const out = opts.full ? { ...collectDevice(), fingerprint: result.fingerprint } : result.fingerprint;
  process.stdout.write(canonicalJson(out) + '\n');
}

export function register(program: Command): void {
  program
    .command('fingerprint')
    .description("measure this machine's fingerprint (always JSON)")
    .option('--full', 'print {"device","signals","fingerprint"} instead of the fingerprint alone')
    .action(action(async (_opts: FingerprintOptions, cmd: Command) => run(cmd.optsWithGlobals<FingerprintOptions>())));
}
