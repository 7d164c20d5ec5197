/**
 * FullNode: the embedded node as one object — data directory, keys, genesis, SQLite, the chain and its
 * HTTP API. Used by `rustchain node` and, in-process, by the desktop app (events + a small read API).
 */
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import type { Genesis } from '../protocol/genesis.js';
import { devAccounts } from '../protocol/dev-accounts.js';
import type { Verifier } from '../protocol/keys.js';
import { systemClock, type Clock } from './clock.js';
import { verifyFast } from './crypto/ed25519-fast.js';
import { DataDirLock } from './data-dir.js';
import { Checkpointer } from './db/checkpointer.js';
import { DatabaseOpenError, openDatabase } from './db/open.js';
import { StartupError } from './errors.js';
import { readOrCreateKeyFile, KeyFileError } from './genesis/key-files.js';
import { resolveGenesis } from './genesis/genesis-setup.js';
import { Chain, type EpochCommittedEvent } from './chain/chain.js';
import { buildApi } from './api/server.js';
import { NodeMetrics } from './api/metrics.js';
import { DEFAULT_RATE_LIMITS, makeRateLimits, type RateLimitConfig } from './api/rate-limit.js';
import { balanceBody } from './api/routes/wallet-routes.js';
import { AnchorConfigError, openAnchorQueue, type AnchorQueue } from './anchor/index.js';
import { isCaughtUp, P2PNode } from './p2p/index.js';
import { ChainP2PHost, FROM_GOSSIP } from './p2p-host.js';
import { createFinalityEngine } from './finality-driver.js';
import type { FinalityEngine } from './chain/finality/index.js';
import type { PooledTransfer } from './chain/transfer-pool.js';

export const IMPLEMENTATION_VERSION = '0.1.0';

export interface FullNodeOptions {
  dataDir: string;
  apiHost?: string;
  apiPort?: number;
  genesisFile?: string;
  dev?: boolean;
  slotSeconds?: number;
  epochSlots?: number;
  validatorKeyFile?: string;
  /** false turns every rate limit off (benchmarks). */
  rateLimits?: RateLimitConfig | false;
  clock?: Clock;
  logger?: Logger;
  verify?: Verifier;
  fullDbCheck?: boolean;
  /** Stage-2 gossip (B.8); without it the node opens no P2P port (see docs/decisions/p2p-finality.md). */
  p2p?: P2PConfig | null;
}

export interface P2PConfig {
  /** Bind address (default: the API host). */
  listenHost?: string;
  /** 0 = any free port. */
  listenPort: number;
  advertise?: string | null;
  peers?: readonly string[];
}

export interface NodeStartInfo {
  api: string;
  nodeId: string;
  genesis: Genesis;
  genesisHash: string;
  dev: boolean;
  warnings: string[];
  caughtUp: number;
}

export class FullNode extends EventEmitter {
  private app: FastifyInstance | null = null;
  private stopping: Promise<void> | null = null;
  private ready = false;
  private checkpointer: Checkpointer | null = null;
  private p2pNode: P2PNode | null = null;
  private engine: FinalityEngine | null = null;
  private validatorSeed: Uint8Array | null = null;
  private startedAtMs = Date.now();

  private constructor(
    readonly chain: Chain,
    private readonly db: Database.Database,
    private readonly lock: DataDirLock,
    readonly info: NodeStartInfo,
    readonly log: Logger,
    private readonly anchors: AnchorQueue | null,
  ) {
    super();
    chain.on('epoch_committed', (e: EpochCommittedEvent) => {
      log.info(
        { epoch: e.epoch, epoch_hash: e.epoch_hash, attestations: e.attestations, transfers: e.transfers },
        'epoch committed',
      );
      this.emit('epoch_committed', e);
    });
    chain.on('transfer', (t) => this.emit('transfer', t));
    chain.on('attestation', (a) => this.emit('attestation', a));
  }

  static async start(opts: FullNodeOptions): Promise<FullNode> {
    const log = opts.logger ?? pino({ level: process.env.RUSTCHAIN_LOG_LEVEL ?? 'info' }, pino.destination(2));
    const clock = opts.clock ?? systemClock;
    const lock = DataDirLock.acquire(opts.dataDir);
    let db: Database.Database | null = null;
    try {
      const nodeKey = readOrCreateKeyFile(join(opts.dataDir, 'node_key.json'), 'rustchain-node-key');
      const validatorKey = readOrCreateKeyFile(
        opts.validatorKeyFile ?? join(opts.dataDir, 'validator_key.json'),
        'rustchain-validator-key',
      );
      const resolved = resolveGenesis({
        dataDir: opts.dataDir,
        genesisFile: opts.genesisFile,
        dev: opts.dev ?? false,
        slotSeconds: opts.slotSeconds,
        epochSlots: opts.epochSlots,
        validatorPublicKey: validatorKey.publicKey,
        now: clock.now(),
        multiValidator: Boolean(opts.p2p),
      });
      const dbPath = join(opts.dataDir, 'node.db');
      db = openDatabase(dbPath, { fullCheck: opts.fullDbCheck ?? false });
      const storedHash = db.prepare("SELECT value FROM meta WHERE key = 'genesis_hash'").pluck().get() as
        string | undefined;
      if (storedHash !== undefined && storedHash !== resolved.hash) {
        throw new StartupError(`node.db belongs to genesis ${storedHash}, not ${resolved.hash}`);
      }
      if (storedHash === undefined) {
        db.prepare("INSERT INTO meta (key, value) VALUES ('genesis_hash', ?)").run(resolved.hash);
      }
      const isValidator = resolved.genesis.validators.some((v) => v.public_key === validatorKey.publicKey);
      const multi = resolved.genesis.validators.length > 1;
      const chain = new Chain({
        db,
        genesis: resolved.genesis,
        genesisHash: resolved.hash,
        // With n > 1 the FinalityEngine commits; the chain's own single-validator timer stays off.
        validatorSeed: isValidator && !multi ? validatorKey.seed : null,
        clock,
        verify: opts.verify ?? verifyFast,
        onError: (err) => log.error({ err: String(err) }, 'epoch commit failed'),
      });
      // Anchoring (B.9) is optional; once configured, every commit queues its epoch hash, catch-up included.
      const anchors = openAnchorQueue(opts.dataDir, db, {
        clock,
        onEvent: (e) => log.info({ anchor: e }, `anchor ${e.type}`),
      });
      if (anchors) chain.on('epoch_committed', (e: EpochCommittedEvent) => anchors.enqueue(e.epoch, e.epoch_hash));
      const caughtUp = chain.catchUp();
      const info: NodeStartInfo = {
        api: '',
        nodeId: nodeKey.publicKey,
        genesis: resolved.genesis,
        genesisHash: resolved.hash,
        dev: resolved.dev,
        warnings: [...resolved.warnings],
        caughtUp,
      };
      if (!isValidator) info.warnings.push('the validator key is not in the genesis: this node will not commit epochs');
      const node = new FullNode(chain, db, lock, info, log, anchors);
      node.validatorSeed = isValidator ? validatorKey.seed : null;
      const metrics = new NodeMetrics(chain, dbPath, () => anchors?.backlog() ?? 0);
      const limits = opts.rateLimits === false ? null : makeRateLimits(opts.rateLimits ?? DEFAULT_RATE_LIMITS);
      const app = await buildApi({
        chain,
        nodeId: nodeKey.publicKey,
        implementation: `rustchain-desktop/${IMPLEMENTATION_VERSION}`,
        startedAt: clock.now(),
        limits,
        metrics,
        isReady: () => node.ready && node.isCaughtUp(),
        peers: () => node.p2pNode?.peers() ?? [],
        peerClockOffset: () => node.p2pNode?.clockSkewSeconds() ?? null,
        dbWritable: () => db !== null && db.open && !db.readonly,
      });
      node.app = app;
      const host = opts.apiHost ?? '127.0.0.1';
      try {
        await app.listen({ host, port: opts.apiPort ?? 8099 });
      } catch (err) {
        await app.close().catch(() => undefined);
        throw new StartupError(`cannot listen on ${host}:${opts.apiPort ?? 8099}: ${(err as Error).message}`);
      }
      const addr = app.server.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : (opts.apiPort ?? 8099);
      info.api = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
      chain.start();
      anchors?.start();
      // On the next turn: the worker's start-up must not count against the 1 s start-to-ready target.
      const openDb = db;
      setImmediate(() => {
        if (node.stopping === null && openDb.open) node.checkpointer = Checkpointer.start(openDb, dbPath);
      });
      if (opts.p2p) await node.startP2P(opts.p2p, host, nodeKey.seed);
      node.ready = true;
      log.info({ api: info.api, chain_id: resolved.genesis.chain_id, tip: chain.tip?.epoch ?? null }, 'node ready');
      return node;
    } catch (err) {
      try {
        db?.close();
      } catch {
        // closing a half-open database must not hide the real error
      }
      lock.release();
      if (err instanceof StartupError) throw err;
      if (err instanceof DatabaseOpenError || err instanceof KeyFileError || err instanceof AnchorConfigError) {
        throw new StartupError(err.message);
      }
      throw new StartupError(`node start-up failed: ${(err as Error).message}`);
    }
  }

  /** Joins the gossip network: pools and committed epochs are relayed, missing epochs synced (B.8). */
  private async startP2P(cfg: P2PConfig, apiHost: string, nodeSeed: Uint8Array): Promise<void> {
    const listenHost = cfg.listenHost ?? apiHost;
    const host = new ChainP2PHost(this.chain, (err) =>
      this.log.error({ err: String(err) }, 'gossiped transfer not stored'),
    );
    try {
      this.p2pNode = await P2PNode.start({
        host,
        nodeSeed,
        listenHost,
        listenPort: cfg.listenPort,
        advertise: cfg.advertise ?? null,
        peers: cfg.peers ?? [],
        onPeerConnected: (p) => this.emit('peer_connected', p),
        log: (event, detail) => this.log.info({ p2p: detail }, event),
      });
    } catch (err) {
      // The API and timers are already running: stop them so the caller only has the database to close.
      this.chain.stop();
      await this.app?.close().catch(() => undefined);
      await this.anchors?.stop();
      await this.checkpointer?.stop();
      throw new StartupError(`cannot listen for peers on ${listenHost}:${cfg.listenPort}: ${(err as Error).message}`);
    }
    const p2p = this.p2pNode;
    this.chain.on('epoch_committed', (e: EpochCommittedEvent) => p2p.announce('epoch', [e.epoch_hash]));
    // Relayed transfers are re-announced by the gossip layer itself; only HTTP admissions are ours to announce.
    this.chain.on('transfer', (t: PooledTransfer, source?: string) => {
      if (source !== FROM_GOSSIP) p2p.announce('transfer', [t.txId]);
    });
    if (this.info.genesis.validators.length > 1) {
      this.engine = createFinalityEngine({
        chain: this.chain,
        db: this.db,
        p2p,
        seed: this.validatorSeed,
        log: (event, detail) => this.log.info({ finality: detail }, event),
      });
      host.engine = this.engine;
      this.engine.advance(host.tip());
    }
  }

  /** The bound gossip address (`ws://host:port`), or null without P2P. */
  get p2pUrl(): string | null {
    return this.p2pNode?.url ?? null;
  }

  /** B.7.8 readiness: a node that validates alone, or has no P2P, is caught up once started. */
  isCaughtUp(): boolean {
    if (!this.p2pNode || this.chain.isValidator) return true; // the single validator is the chain
    const tip = this.chain.tip?.epoch ?? this.info.genesis.first_epoch - 1;
    return isCaughtUp(tip, this.p2pNode.highestPeerTip(), Date.now() - this.startedAtMs);
  }

  get apiUrl(): string {
    return this.info.api;
  }

  /** The ten public dev-mode accounts (only meaningful with --dev). */
  devAccountAddresses(): string[] {
    return this.info.dev ? devAccounts().map((a) => a.address) : [];
  }

  /** Read API for in-process callers. */
  balance(account: string) {
    return balanceBody(this.chain, account);
  }

  /** Graceful stop: in-flight requests finish, the timer stops, the WAL is checkpointed, the lock released. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.ready = false;
      this.chain.stop();
      this.engine?.stop();
      await this.p2pNode?.stop();
      await this.app?.close();
      await this.anchors?.stop();
      await this.checkpointer?.stop();
      try {
        this.db.pragma('wal_checkpoint(TRUNCATE)');
      } catch (err) {
        this.log.warn({ err: String(err) }, 'WAL checkpoint failed');
      }
      this.db.close();
      this.lock.release();
      this.log.info('node stopped');
    })();
    return this.stopping;
  }
}
