/**
 * WAL checkpoints off the request path. With `synchronous=NORMAL` a commit does not fsync, but SQLite's
 * automatic checkpoint (every 1000 WAL pages) does, on whichever commit crosses the mark — measured at
 * 120–170 µs per commit amortised on this class of machine, more than the insert itself. The node turns
 * the automatic checkpoint off on its own connection and lets a worker thread, with a second connection
 * to the same file, run PASSIVE checkpoints (they never block the writer) on a short timer.
 *
 * Durability is unchanged: a committed transaction is in the WAL before `COMMIT` returns either way;
 * the checkpoint only moves pages from the WAL into the main file.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

export const CHECKPOINT_INTERVAL_MS = 250;

// Inline CommonJS so it runs the same from dist/ and from the TypeScript sources under vitest.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
db.pragma('wal_autocheckpoint = 0');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* retried on the next tick */ }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  try { db.close(); } catch { /* exiting anyway */ }
  parentPort.postMessage('closed');
});
`;

export class Checkpointer {
  private exited = false;

  private constructor(private readonly worker: Worker) {
    worker.once('exit', () => (this.exited = true));
  }

  /** Turns the connection's automatic checkpoint off and starts the background one. */
  static start(db: Database.Database, path: string, intervalMs = CHECKPOINT_INTERVAL_MS): Checkpointer {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, driver, intervalMs } });
    worker.unref();
    // A worker that cannot run leaves the WAL unbounded: fall back to SQLite's own checkpoints.
    worker.once('error', () => db.open && db.pragma('wal_autocheckpoint = 1000'));
    db.pragma('wal_autocheckpoint = 0');
    return new Checkpointer(worker);
  }

  /** Closes the worker's connection; the caller then checkpoints and closes its own. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const closed = new Promise<void>((resolve) => {
      this.worker.once('message', () => resolve());
      this.worker.once('exit', () => resolve());
      this.worker.once('error', () => resolve());
    });
    this.worker.postMessage('close');
    await closed;
    await this.worker.terminate();
  }
}
