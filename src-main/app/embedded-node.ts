/**
 * Runs the app's own node as a supervised child process (`rustchain node … --json`, PROTOCOL.md E.2): off
 * the UI's event loop, restarted with back-off when it crashes. Its stdout event lines (`ready`,
 * `epoch_committed`, …) are the push channel the app service listens to.
 */
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { setPriority } from 'node:os';
import { createInterface } from 'node:readline';

/**
 * The part of a child process the supervisor needs. Node's `ChildProcess` has it; so does Electron's
 * `UtilityProcess`, which the packaged app must use because its RunAsNode fuse is off.
 */
export interface NodeProcess {
  readonly pid?: number | undefined;
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  kill(signal?: NodeJS.Signals): boolean;
  once(event: 'exit', listener: (code: number | null) => void): unknown;
}

/** Starts `rustchain <args>` as a separate process. */
export type NodeLauncher = (args: string[], env: NodeJS.ProcessEnv) => NodeProcess;

/** Runs the CLI with a plain executable, e.g. [process.execPath, '<root>/bin/rustchain.js']. */
export function commandLauncher(command: string[]): NodeLauncher {
  const [exe, ...lead] = command;
  if (!exe) throw new Error('no command to start the node');
  return (args, env) => {
    const child = spawn(exe, [...lead, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    // A process that never started reports 'error' and no 'exit': report it as an exit so the
    // supervisor's back-off applies.
    child.on('error', () => {
      if (child.exitCode === null && child.signalCode === null) child.emit('exit', null, null);
    });
    return child;
  };
}

export interface EmbeddedNodeOptions {
  launch: NodeLauncher;
  dataDir: string;
  /** Dev mode (B.0) with these slot parameters; null = the network of the data directory. */
  dev: { slotSeconds: number; epochSlots: number } | null;
  env?: NodeJS.ProcessEnv;
  /** Diagnostics (the node's stderr, restarts); never contains secrets. */
  log?: (line: string) => void;
}

export interface NodeEventLine {
  event: string;
  [key: string]: unknown;
}

const MAX_BACKOFF_MS = 30_000;
const STDERR_TAIL_LINES = 20;

export class EmbeddedNode extends EventEmitter<{ ready: [string]; event: [NodeEventLine]; exit: [number | null] }> {
  private child: NodeProcess | null = null;
  private stopping = false;
  private backoffMs = 500;
  private restartTimer: NodeJS.Timeout | null = null;
  private stderrTail: string[] = [];
  url: string | null = null;
  restarts = 0;

  constructor(private readonly options: EmbeddedNodeOptions) {
    super();
  }

  /** Starts the node and resolves with its API URL once it printed its `ready` line. */
  start(): Promise<string> {
    this.stopping = false;
    return new Promise((resolve, reject) => {
      const onReady = (url: string) => {
        this.off('exit', onExit);
        resolve(url);
      };
      const onExit = (code: number | null) => {
        this.off('ready', onReady);
        reject(new Error(`the node exited with code ${code} before it was ready: ${this.stderrTail.join(' | ')}`));
      };
      this.once('ready', onReady);
      this.once('exit', onExit);
      this.spawnChild();
    });
  }

  private args(): string[] {
    const o = this.options;
    const args = ['node', '--data-dir', o.dataDir, '--api-port', '0', '--json'];
    if (o.dev)
      args.push('--dev', '--slot-seconds', String(o.dev.slotSeconds), '--epoch-slots', String(o.dev.epochSlots));
    return args;
  }

  private spawnChild(): void {
    this.stderrTail = [];
    let child: NodeProcess;
    try {
      child = this.options.launch(this.args(), { ...process.env, ...this.options.env });
    } catch (err) {
      this.options.log?.(`[node] failed to start: ${err instanceof Error ? err.message : String(err)}`);
      this.emit('exit', null);
      return;
    }
    this.child = child;
    // The UI must stay responsive while the node starts and catches up: run the node at a lower priority.
    if (child.pid !== undefined) {
      try {
        setPriority(child.pid, 10);
      } catch {
        // not permitted on this system: keep the default priority
      }
    }
    if (child.stdout) createInterface({ input: child.stdout }).on('line', (line) => this.onStdout(line));
    if (child.stderr)
      createInterface({ input: child.stderr }).on('line', (line) => {
        this.stderrTail = [...this.stderrTail, line].slice(-STDERR_TAIL_LINES);
        this.options.log?.(`[node] ${line}`);
      });
    child.once('exit', (code) => {
      this.child = null;
      this.url = null;
      this.emit('exit', code);
      if (this.stopping) return;
      this.restarts++;
      this.options.log?.(`[node] exited with code ${code}; restarting in ${this.backoffMs} ms`);
      this.restartTimer = setTimeout(() => this.spawnChild(), this.backoffMs);
      this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
    });
  }

  private onStdout(line: string): void {
    let event: NodeEventLine;
    try {
      event = JSON.parse(line) as NodeEventLine;
    } catch {
      return;
    }
    if (typeof event.event !== 'string') return;
    if (event.event === 'ready' && typeof event.api === 'string') {
      this.url = event.api;
      this.backoffMs = 500;
      this.emit('ready', event.api);
    }
    this.emit('event', event);
  }

  /** Graceful stop (SIGTERM, then SIGKILL after 5 s). */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child) return;
    await new Promise<void>((resolve) => {
      const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }

  /** For supervision tests and the Node page: the child's pid while it runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }
}
