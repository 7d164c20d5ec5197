/**
 * Runs the app's own node as a supervised child process (`rustchain node … --json`, PROTOCOL.md E.2): off
 * the UI's event loop, restarted with back-off when it crashes. Its stdout event lines (`ready`,
 * `epoch_committed`, …) are the push channel the app service listens to.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { setPriority } from 'node:os';
import { createInterface } from 'node:readline';

export interface EmbeddedNodeOptions {
  /** Executable and leading arguments, e.g. [process.execPath, '<root>/bin/rustchain.js']. */
  command: string[];
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
  private child: ChildProcess | null = null;
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
    const args = [...o.command.slice(1), 'node', '--data-dir', o.dataDir, '--api-port', '0', '--json'];
    if (o.dev)
      args.push('--dev', '--slot-seconds', String(o.dev.slotSeconds), '--epoch-slots', String(o.dev.epochSlots));
    return args;
  }

  private spawnChild(): void {
    const [exe] = this.options.command;
    if (!exe) throw new Error('no command to start the node');
    this.stderrTail = [];
    const child = spawn(exe, this.args(), {
      env: { ...process.env, ...this.options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    // The UI must stay responsive while the node starts and catches up: run the node at a lower priority.
    if (child.pid !== undefined) {
      try {
        setPriority(child.pid, 10);
      } catch {
        // not permitted on this system: keep the default priority
      }
    }
    createInterface({ input: child.stdout! }).on('line', (line) => this.onStdout(line));
    createInterface({ input: child.stderr! }).on('line', (line) => {
      this.stderrTail = [...this.stderrTail, line].slice(-STDERR_TAIL_LINES);
      this.options.log?.(`[node] ${line}`);
    });
    child.on('error', (err) => this.options.log?.(`[node] failed to start: ${err.message}`));
    child.on('exit', (code) => {
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
    if (!child || child.exitCode !== null) return;
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
