/**
 * Ergo anchoring (PROTOCOL.md B.9) for the node: `openAnchorQueue` returns null when `<data-dir>/config.json`
 * has no `ergo` key, else a queue bound to the node database. Wiring: `queue.start()` at start-up,
 * `queue.enqueue(epoch, epochHash)` after each epoch commit, `queue.list` for `/anchor/list`,
 * `queue.backlog()` for `rustchain_anchor_backlog`, `queue.status(epoch)` for the explorer, and
 * `await queue.stop()` at shutdown before closing the database.
 */
import type Database from 'better-sqlite3';
import { AnchorQueue, type AnchorQueueOptions } from './anchor-queue.js';
import { loadErgoConfig } from './config.js';
import { ErgoClient, type ErgoClientOptions } from './ergo-client.js';

export { AnchorQueue, retryDelaySeconds, type AnchorEvent, type AnchorListEntry } from './anchor-queue.js';
export { AnchorConfigError, loadErgoConfig, parseErgoConfig, type ErgoConfig } from './config.js';
export { ErgoClient, ErgoRequestError, type AnchorSubmitter } from './ergo-client.js';
export type { AnchorStatus } from './anchor-store.js';

/** Throws AnchorConfigError when the `ergo` key is present but invalid (a start-up error). */
export function openAnchorQueue(
  dataDir: string,
  db: Database.Database,
  opts: AnchorQueueOptions & ErgoClientOptions = {},
): AnchorQueue | null {
  const config = loadErgoConfig(dataDir);
  if (!config) return null;
  return new AnchorQueue(db, new ErgoClient(config, opts), opts);
}
