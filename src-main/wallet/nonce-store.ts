/**
 * The shared nonce store (PROTOCOL.md C.4 step 4): `<dir>/nonces.json` = {"<address>": "<last nonce>"},
 * read and updated only while holding the exclusive lock file `<dir>/nonces.lock`, written atomically.
 * The desktop app and the CLI both use it, so two processes never sign the same nonce.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { replaceFileAtomic } from '../platform/atomic-file.js';

const LOCK_WAIT_MS = 10_000;
const LOCK_POLL_MS = 20;
/** A lock older than this was left by a crashed process (an update takes milliseconds). */
const STALE_LOCK_MS = 30_000;

export class NonceStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NonceStoreError';
  }
}

export class NonceStore {
  readonly file: string;
  readonly lockFile: string;
  /** Serialises callers inside this process; the lock file serialises processes. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly dir: string,
    private readonly nowMs: () => number = Date.now,
  ) {
    this.file = join(dir, 'nonces.json');
    this.lockFile = join(dir, 'nonces.lock');
  }

  /** The last nonce recorded for `address`, or null. */
  last(address: string): bigint | null {
    return this.read()[address] ?? null;
  }

  /** Reserves and persists the next nonce: max(now ms, last + 1). */
  async next(address: string): Promise<bigint> {
    return this.update(address, (last) => {
      const now = BigInt(this.nowMs());
      return last !== null && last + 1n > now ? last + 1n : now;
    });
  }

  /** Raises the stored value to at least `nonce` (OUT_OF_ORDER_NONCE: the node's `latest_nonce`). */
  async raiseTo(address: string, nonce: bigint): Promise<bigint> {
    return this.update(address, (last) => (last !== null && last > nonce ? last : nonce));
  }

  private update(address: string, fn: (last: bigint | null) => bigint): Promise<bigint> {
    const run = this.queue.then(() =>
      this.withLock(() => {
        const all = this.read();
        const value = fn(all[address] ?? null);
        all[address] = value;
        const out: Record<string, string> = {};
        for (const [k, v] of Object.entries(all)) out[k] = v.toString();
        replaceFileAtomic(this.file, JSON.stringify(out, null, 2) + '\n');
        return value;
      }),
    );
    this.queue = run.catch(() => undefined);
    return run;
  }

  private read(): Record<string, bigint> {
    if (!existsSync(this.file)) return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(this.file, 'utf8'));
    } catch {
      throw new NonceStoreError(`${this.file} is not valid JSON; fix or remove it`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new NonceStoreError(`${this.file} is not a JSON object`);
    }
    const out: Record<string, bigint> = {};
    for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
      if (typeof v === 'string' && /^[0-9]{1,19}$/.test(v)) out[k] = BigInt(v);
      else if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) out[k] = BigInt(v);
    }
    return out;
  }

  private async withLock<T>(fn: () => T): Promise<T> {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        const fd = openSync(this.lockFile, 'wx', 0o600);
        writeSync(fd, `${process.pid}\n`);
        closeSync(fd);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        this.removeStaleLock();
        if (Date.now() > deadline) throw new NonceStoreError(`${this.lockFile} is held by another process`);
        await new Promise((r) => setTimeout(r, LOCK_POLL_MS));
      }
    }
    try {
      return fn();
    } finally {
      try {
        unlinkSync(this.lockFile);
      } catch {
        // Already removed as stale by another process after a very long pause; nothing to undo.
      }
    }
  }

  private removeStaleLock(): void {
    try {
      if (Date.now() - statSync(this.lockFile).mtimeMs > STALE_LOCK_MS) unlinkSync(this.lockFile);
    } catch {
      // Gone in the meantime.
    }
  }
}
