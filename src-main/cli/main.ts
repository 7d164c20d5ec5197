/**
 * `rustchain` command line (PROTOCOL.md Part E). Each command lives in its own file under commands/
 * and registers itself here.
 */
import { Command, CommanderError } from 'commander';
import { reportFailure } from './output.js';
import { CliError } from './errors.js';
import { registerCommands } from './commands/index.js';

export async function main(argv: string[]): Promise<void> {
  const program = new Command('rustchain')
    .description('RustChain Desktop: node, wallet and miner from the command line')
    .option('--json', 'machine-readable output (JSON on stdout only)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  registerCommands(program);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0) {
        process.exitCode = 0;
        return;
      }
      const json = argv.includes('--json');
      process.exitCode = reportFailure({ json }, new CliError('usage', err.message));
      return;
    }
    process.exitCode = reportFailure({ json: argv.includes('--json') }, err);
  }
}
