/**
 * Assembles the main side once for both shells: settings, the embedded node (supervised child process),
 * the service bindings and the app service with its event hub.
 */
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { AppService } from './app-service.js';
import { EmbeddedNode } from './embedded-node.js';
import { EventHub } from './event-hub.js';
import { packageRoot, packageVersion } from './package-root.js';
import { createServiceBindings } from './service-bindings.js';
import { SettingsStore } from './settings-store.js';

export interface RuntimeOptions {
  shell: 'electron' | 'host';
  /** RUSTCHAIN_HOME; default per platform (E.1). */
  home?: string;
  /** Dev mode for the embedded node (B.0), e.g. `{ slotSeconds: 1, epochSlots: 5 }` in tests. */
  dev?: { slotSeconds: number; epochSlots: number } | null;
  /** Executable and leading args that run the `rustchain` CLI; default: this Node and bin/rustchain.js. */
  cliCommand?: string[];
  /** Extra environment for the node process (Electron: ELECTRON_RUN_AS_NODE). */
  nodeEnv?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

export interface Runtime {
  service: AppService;
  events: EventHub;
  node: EmbeddedNode | null;
  home: string;
  stop(): Promise<void>;
}

export function defaultHome(): string {
  if (process.env.RUSTCHAIN_HOME) return resolve(process.env.RUSTCHAIN_HOME);
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'RustChain Desktop');
  if (process.platform === 'win32') return join(process.env.APPDATA ?? homedir(), 'RustChain Desktop');
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'rustchain-desktop');
}

export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const home = options.home ?? defaultHome();
  mkdirSync(home, { recursive: true });
  const settings = new SettingsStore(home);
  const dataDir = settings.get().dataDir;
  const events = new EventHub();
  const node =
    settings.get().nodeMode === 'embedded'
      ? new EmbeddedNode({
          command: options.cliCommand ?? [process.execPath, join(packageRoot(), 'bin', 'rustchain.js')],
          dataDir: join(dataDir, 'node'),
          dev: options.dev ?? null,
          env: { ...options.nodeEnv, RUSTCHAIN_HOME: dataDir },
          log: options.log,
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
