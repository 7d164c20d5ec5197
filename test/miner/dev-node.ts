/**
 * Spawns the real `rustchain node --dev` (bin/rustchain.js → dist/) for the miner's integration
 * tests, on a fixed port so that a restarted node answers at the same URL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

export const BIN = resolve(process.cwd(), 'bin/rustchain.js');
export const CLI_BUILT = existsSync(resolve(process.cwd(), 'dist/src-main/cli/main.js'));

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => res(port));
    });
  });
}

export interface DevNode {
  url: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

/** Starts a dev node (1 s slots, 5-slot epochs) and resolves on its `ready` event line. */
export async function startDevNode(dataDir: string, port: number): Promise<DevNode> {
  const args = [
    BIN,
    'node',
    '--dev',
    '--slot-seconds',
    '1',
    '--epoch-slots',
    '5',
    '--data-dir',
    dataDir,
    '--api-port',
    String(port),
    '--json',
  ];
  const proc = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, RUSTCHAIN_LOG_LEVEL: 'warn' },
  });
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-20_000)));
  const exited = new Promise<void>((res) => proc.once('exit', () => res()));
  const url = await new Promise<string>((res, rej) => {
    const rl = createInterface({ input: proc.stdout! });
    rl.on('line', (line) => {
      try {
        const e = JSON.parse(line) as { event?: string; api?: string };
        if (e.event === 'ready' && e.api) res(e.api);
      } catch {
        // not an event line
      }
    });
    proc.once('exit', (code) => rej(new Error(`node exited (${code}) before ready: ${stderr}`)));
  });
  return {
    url,
    proc,
    async stop() {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      await exited;
    },
  };
}
