/**
 * `rustchain node` (PROTOCOL.md E.2): starts the embedded full node, prints the one JSON ready line on
 * stdout (plus event lines with --json), and shuts down gracefully on SIGINT/SIGTERM within 5 s.
 */
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { pino } from 'pino';
import { FullNode, type P2PConfig } from '../../node/node.js';
import { StartupError } from '../../node/errors.js';
import { defaultHome } from '../../platform/home.js';
import { CliError } from '../errors.js';
import { diag, printJson, reportFailure } from '../output.js';

interface NodeOptions {
  dev?: boolean;
  slotSeconds?: string;
  epochSlots?: string;
  dataDir?: string;
  apiHost: string;
  apiPort: string;
  p2pPort?: string;
  peer?: string[];
  genesis?: string;
  validatorKey?: string;
  p2pHost?: string;
  p2pAdvertise?: string;
  rateLimits: boolean;
  logFile?: boolean;
  json?: boolean;
}

const SHUTDOWN_DEADLINE_MS = 5000;
const DEFAULT_P2P_PORT = 9099;

function positiveInt(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^[0-9]+$/.test(v) || Number(v) < 1 || !Number.isSafeInteger(Number(v))) {
    throw new CliError('usage', `${name} must be a positive integer`);
  }
  return Number(v);
}

function port(v: string): number {
  if (!/^[0-9]+$/.test(v) || Number(v) > 65535) throw new CliError('usage', `invalid port ${v}`);
  return Number(v);
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Without --p2p-port or --peer the node opens no gossip port (docs/decisions/p2p-finality.md). */
function p2pConfig(opts: NodeOptions): P2PConfig | null {
  const peers = opts.peer ?? [];
  for (const url of peers) {
    if (!/^wss?:\/\/[^\s/]+\/?$/.test(url)) throw new CliError('usage', `--peer must be ws://host:port, got ${url}`);
  }
  if (opts.p2pPort === undefined && peers.length === 0) {
    if (opts.p2pHost !== undefined || opts.p2pAdvertise !== undefined) {
      diag('warning: --p2p-host and --p2p-advertise need --p2p-port or --peer; ignored');
    }
    return null;
  }
  return {
    listenHost: opts.p2pHost,
    listenPort: opts.p2pPort === undefined ? DEFAULT_P2P_PORT : port(opts.p2pPort),
    advertise: opts.p2pAdvertise ?? null,
    peers,
  };
}

async function runNode(opts: NodeOptions): Promise<void> {
  const json = opts.json === true;
  const slotSeconds = positiveInt('--slot-seconds', opts.slotSeconds);
  const epochSlots = positiveInt('--epoch-slots', opts.epochSlots);
  if (!opts.dev && (slotSeconds !== undefined || epochSlots !== undefined)) {
    throw new CliError('usage', '--slot-seconds and --epoch-slots are only valid with --dev');
  }
  const apiPort = port(opts.apiPort);
  const p2p = p2pConfig(opts);
  const dataDir = opts.dataDir ?? join(defaultHome(), 'node');
  const level = process.env.RUSTCHAIN_LOG_LEVEL ?? 'info';
  const logger = opts.logFile
    ? pino({ level }, createWriteStream(join(dataDir, 'node.log'), { flags: 'a' }))
    : pino({ level }, pino.destination(2));

  let node: FullNode;
  try {
    node = await FullNode.start({
      dataDir,
      apiHost: opts.apiHost,
      apiPort,
      genesisFile: opts.genesis,
      dev: opts.dev === true,
      slotSeconds,
      epochSlots,
      validatorKeyFile: opts.validatorKey,
      rateLimits: opts.rateLimits ? undefined : false,
      logger,
      p2p,
    });
  } catch (err) {
    if (err instanceof StartupError) throw new CliError('startup_failed', err.message);
    throw err;
  }
  for (const w of node.info.warnings) diag(`warning: ${w}`);
  if (node.info.dev) {
    diag('WARNING: dev mode. These development accounts use PUBLIC keys (mnemonic "test test … junk");');
    diag('never send real value to them. Funded accounts (100,000 RTC each):');
    node.devAccountAddresses().forEach((a, i) => diag(`  ${i}: ${a}`));
  }
  process.stdout.write(
    JSON.stringify({ event: 'ready', api: node.apiUrl, p2p: node.p2pUrl, node_id: node.info.nodeId }) + '\n',
  );
  if (json) {
    node.on('peer_connected', (p: { node_id: string }) => printJson({ event: 'peer_connected', node_id: p.node_id }));
    node.on('epoch_committed', (e: { epoch: number; epoch_hash: string; attestations: number; transfers: number }) =>
      printJson({
        event: 'epoch_committed',
        epoch: e.epoch,
        epoch_hash: e.epoch_hash,
        attestations: e.attestations,
        transfers: e.transfers,
      }),
    );
  }

  await new Promise<void>((resolve) => {
    let signalled = false;
    const onSignal = (sig: NodeJS.Signals) => {
      if (signalled) return;
      signalled = true;
      logger.info({ signal: sig }, 'shutting down');
      const deadline = setTimeout(() => {
        diag('error: shutdown took longer than 5 s; exiting');
        process.exit(6);
      }, SHUTDOWN_DEADLINE_MS);
      deadline.unref();
      node
        .stop()
        .then(() => {
          clearTimeout(deadline);
          resolve();
        })
        .catch((err: unknown) => {
          diag(`error: shutdown failed: ${String(err)}`);
          process.exitCode = 6;
          resolve();
        });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    process.on('uncaughtException', (err) => {
      process.exitCode = reportFailure({ json }, new CliError('internal_error', `fatal: ${err.message}`));
      process.exit(6);
    });
  });
}

export function register(program: Command): void {
  program
    .command('node')
    .description('run the embedded full node')
    .option('--dev', 'dev mode: short slots, 10 funded development accounts')
    .option('--slot-seconds <n>', 'dev mode: slot length of a new dev chain (default 2)')
    .option('--epoch-slots <n>', 'dev mode: slots per epoch of a new dev chain (default 30)')
    .option('--data-dir <dir>', 'data directory (default <home>/node)')
    .option('--api-host <host>', 'HTTP API bind address', '127.0.0.1')
    .option('--api-port <port>', 'HTTP API port (0 = any free port)', '8099')
    .option('--p2p-port <port>', 'gossip port (0 = any free port; default 9099 when --peer is given)')
    .option('--peer <url>', 'peer ws://host:port to keep connected (repeatable)', collect)
    .option('--genesis <file>', 'genesis file used on first start')
    .option('--validator-key <file>', 'validator key file (created if missing)')
    .option('--p2p-host <host>', 'gossip bind address (default: the API host)')
    .option('--p2p-advertise <url>', 'advertised gossip address ws://host:port')
    .option('--no-rate-limits', 'turn the per-IP rate limits off (benchmarks)')
    .option('--log-file', 'log to <data-dir>/node.log instead of stderr')
    .action(async (_opts: NodeOptions, cmd: Command) => {
      const opts = cmd.optsWithGlobals<NodeOptions>();
      try {
        await runNode(opts);
      } catch (err) {
        process.exitCode = reportFailure({ json: opts.json === true }, err);
      }
    });
}
