import type { Command } from 'commander';
import { register as registerWallet } from './wallet.js';
import { register as registerNode } from './node.js';
import { register as registerGenesis } from './genesis.js';
import { register as registerFingerprint } from './fingerprint.js';
import { register as registerMiner } from './miner.js';

/** Adds every command; each command file exports one `register(program)` function. */
export function registerCommands(program: Command): void {
  void program;
  registerWallet(program);
  registerNode(program);
  registerGenesis(program);
  registerFingerprint(program);
  registerMiner(program);
}
