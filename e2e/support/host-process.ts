/**
 * Starts the built headless host as a child process with a fresh RUSTCHAIN_HOME and a short-slot dev node,
 * and resolves when it printed its `ready` line (no sleeps).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export const ROOT = resolve(import.meta.dirname, '..', '..');
const HOST_MAIN = join(ROOT, 'dist', 'src-main', 'host', 'main.js');
const CLI = join(ROOT, 'bin', 'rustchain.js');

export interface HostProcess {
  url: string;
  origin: string;
  home: string;
  child: ChildProcess;
  stderr: () => string;
  stop(): Promise<void>;
}

export async function startHostProcess(
  options: { slotSeconds?: number; epochSlots?: number } = {},
): Promise<HostProcess> {
  const home = mkdtempSync(join(tmpdir(), 'rustchain-e2e-'));
  const child = spawn(
    process.execPath,
    [
      HOST_MAIN,
      '--dev',
      '--slot-seconds',
      String(options.slotSeconds ?? 1),
      '--epoch-slots',
      String(options.epochSlots ?? 5),
      '--home',
      home,
    ],
    { env: { ...process.env, RUSTCHAIN_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr = (stderr + d).slice(-20_000);
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      try {
        const e = JSON.parse(line) as { event?: string; url?: string };
        if (e.event === 'ready' && e.url) resolveUrl(e.url);
      } catch {
        // other output
      }
    });
    child.once('exit', (code) => reject(new Error(`host exited with ${code}: ${stderr}`)));
  });
  return {
    url,
    origin: new URL(url).origin,
    home,
    child,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Whether the CLI already has a command (the node and wallet services land separately). */
export function cliHasCommand(command: string): boolean {
  const r = spawnSync(process.execPath, [CLI, command, '--help'], { encoding: 'utf8', timeout: 20_000 });
  return r.status === 0;
}
