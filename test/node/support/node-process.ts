/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are untyped JSON */
/**
 * Runs the real `rustchain` CLI (bin/rustchain.js → dist/) as child processes: genesis files and node
 * processes with temp data directories. Tests talk to the node over real HTTP on 127.0.0.1.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export const BIN = resolve(process.cwd(), 'bin/rustchain.js');

export function tempDir(prefix = 'rc-node-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function cli(args: string[], env: NodeJS.ProcessEnv = {}): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export interface GenesisSpec {
  dir: string;
  chainId: string;
  allocs?: Record<string, bigint | number>;
  genesisTime?: number;
  slotSeconds?: number;
  epochSlots?: number;
  graceSeconds?: number;
  firstEpoch?: number;
}

/** Writes a genesis with a fresh validator key; returns the genesis and key paths. */
export function createGenesis(g: GenesisSpec): {
  genesis: string;
  validatorKey: string;
  result: Record<string, unknown>;
} {
  const genesis = join(g.dir, 'genesis-in.json');
  const validatorKey = join(g.dir, 'validator.json');
  const args = [
    'genesis',
    'create',
    '--out',
    genesis,
    '--chain-id',
    g.chainId,
    '--validator-key',
    validatorKey,
    '--json',
  ];
  for (const [a, v] of Object.entries(g.allocs ?? {})) args.push('--alloc', `${a}=${v}`);
  if (g.genesisTime !== undefined) args.push('--genesis-time', String(g.genesisTime));
  if (g.slotSeconds !== undefined) args.push('--slot-seconds', String(g.slotSeconds));
  if (g.epochSlots !== undefined) args.push('--epoch-slots', String(g.epochSlots));
  if (g.graceSeconds !== undefined) args.push('--grace-seconds', String(g.graceSeconds));
  if (g.firstEpoch !== undefined) args.push('--first-epoch', String(g.firstEpoch));
  const r = cli(args);
  if (r.status !== 0) throw new Error(`genesis create failed: ${r.stdout} ${r.stderr}`);
  return { genesis, validatorKey, result: JSON.parse(r.stdout) as Record<string, unknown> };
}

export interface RunningNode {
  url: string;
  proc: ChildProcess;
  dataDir: string;
  events: Record<string, unknown>[];
  stderr: () => string;
  /** Resolves with the first event line matching `pred`. */
  waitEvent(pred: (e: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  stop(): Promise<number | null>;
  kill(): Promise<void>;
}

export async function startNode(dataDir: string, args: string[] = []): Promise<RunningNode> {
  const port = args.includes('--api-port') ? [] : ['--api-port', '0'];
  const proc = spawn(process.execPath, [BIN, 'node', '--data-dir', dataDir, ...port, '--json', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, RUSTCHAIN_LOG_LEVEL: 'warn' },
  });
  let err = '';
  proc.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
    if (err.length > 200_000) err = err.slice(-100_000);
  });
  const events: Record<string, unknown>[] = [];
  const waiters: { pred: (e: Record<string, unknown>) => boolean; resolve: (e: Record<string, unknown>) => void }[] =
    [];
  const exited = new Promise<number | null>((res) => proc.on('exit', (code) => res(code)));
  const ready = new Promise<Record<string, unknown>>((res, rej) => {
    const rl = createInterface({ input: proc.stdout! });
    rl.on('line', (line) => {
      let e: Record<string, unknown>;
      try {
        e = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      events.push(e);
      if (e.event === 'ready') res(e);
      for (const w of [...waiters]) {
        if (w.pred(e)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(e);
        }
      }
    });
    void exited.then((code) => rej(new Error(`node exited with ${code} before ready: ${err}`)));
  });
  const readyLine = await ready;
  return {
    url: readyLine.api as string,
    proc,
    dataDir,
    events,
    stderr: () => err,
    waitEvent(pred) {
      const found = events.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ pred, resolve }));
    },
    async stop() {
      if (proc.exitCode !== null) return proc.exitCode;
      proc.kill('SIGTERM');
      return exited;
    },
    async kill() {
      if (proc.exitCode !== null) return;
      proc.kill('SIGKILL');
      await exited;
    },
  };
}

export async function getJson(url: string): Promise<{ status: number; body: any; headers: Headers }> {
  const r = await fetch(url);
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null, headers: r.headers };
}

export async function postText(url: string, body: string | Uint8Array, headers: Record<string, string> = {}) {
  const r = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  const text = await r.text();
  let parsed: any = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: r.status, body: parsed, text, headers: r.headers };
}
