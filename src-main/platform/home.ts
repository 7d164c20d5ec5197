/** Where RustChain Desktop keeps its data (PROTOCOL.md E.1 `RUSTCHAIN_HOME`; E.3 `<home>/wallets/`). */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export function defaultHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.RUSTCHAIN_HOME) return resolve(env.RUSTCHAIN_HOME);
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'RustChain Desktop');
  if (process.platform === 'win32') return join(env.APPDATA ?? homedir(), 'RustChain Desktop');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'rustchain-desktop');
}

export function walletsDir(home: string): string {
  return join(home, 'wallets');
}
