/**
 * Assembles the main side once for both shells: settings, the embedded node (supervised child process),
 * the service bindings and the app service with its event hub.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AppService } from './app-service.js';
import { defaultHome } from '../platform/home.js';
import { commandLauncher, EmbeddedNode, type NodeLauncher } from './embedded-node.js';
import { EventHub } from './event-hub.js';
import { LogTail } from './node-log.js';
import { packageRoot, packageVersion } from './package-root.js';
import { createServiceBindings } from './service-bindings.js';
import { SettingsStore } from './settings-store.js';

export interface RuntimeOptions {
  shell: 'electron' | 'host';
  /** RUSTCHAIN_HOME; default per platform (E.1). */
  home?: string;
  /** Dev mode for the embedded node (B.0), e.g. `{ slotSeconds: 1, epochSlots: 5 }` in tests. */
  dev?: { slotSeconds: number; epochSlots: number } | null;
  /** How to start `rustchain node`; default: this Node.js running bin/rustchain.js. */
  launchNode?: NodeLauncher;
  log?: (line: string) => void;
}

export interface Runtime {
  service: AppService;
  events: EventHub;
  node: EmbeddedNode | null;
  home: string;
  stop(): Promise<void>;
}

export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const home = options.home ?? defaultHome();
  mkdirSync(home, { recursive: true });
  const settings = new SettingsStore(home);
  const dataDir = settings.get().dataDir;
  const events = new EventHub();
  const nodeLog = new LogTail();
  const log = (line: string) => {
    nodeLog.push(line);
    options.log?.(line);
  };
  const node =
    settings.get().nodeMode === 'embedded'
      ? new EmbeddedNode({
          launch: options.launchNode ?? commandLauncher([process.execPath, join(packageRoot(), 'bin', 'rustchain.js')]),
          dataDir: join(dataDir, 'node'),
          dev: options.dev ?? null,
          env: { RUSTCHAIN_HOME: dataDir },
          log,
        })
      : null;
  const bindings = createServiceBindings({ home: dataDir });
  const service = new AppService({
    version: packageVersion(),
    shell: options.shell,
    home,
    wallet: bindings.wallet,
    nodeClient: bindings.nodeClient,
    miner: bindings.miner,
    events,
    settings,
    embeddedNodeUrl: () => node?.url ?? null,
    embeddedNodeInfo: () =>
      node ? { dataDir: join(dataDir, 'node'), pid: node.pid ?? null, restarts: node.restarts } : null,
    nodeLogs: () => nodeLog.recent(),
  });
  if (node) {
    node.on('ready', () => service.embeddedNodeChanged());
    node.on('event', (e) => {
      if (e.event !== 'ready') service.embeddedNodeChanged();
    });
    node.on('exit', () => service.embeddedNodeChanged());
    // The UI comes up at once and shows the node as starting; the node's ready line connects it.
    node.start().catch((err: unknown) => options.log?.(`[node] ${err instanceof Error ? err.message : String(err)}`));
  }
  await service.start();
  return {
    service,
    events,
    node,
    home,
    stop: async () => {
      service.stop();
      await node?.stop();
    },
  };
}
