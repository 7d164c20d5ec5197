import type { Command } from 'commander';

/** Adds every command; each command file exports one `register(program)` function. */
export function registerCommands(program: Command): void {
  void program;
}
