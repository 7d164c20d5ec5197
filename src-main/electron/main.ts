/**
 * The Electron shell, kept thin: one instance, one secure window loading the built renderer from the
 * app:// protocol, and the app contract over IPC with every sender checked. The node runs as a supervised
 * Electron utility process (app/embedded-node.ts), so it never shares the UI's event loop; a utility
 * process needs no RunAsNode, which the packaged app's fuses turn off.
 */
import {
  app,
  BrowserWindow,
  ipcMain,
  net,
  protocol,
  session,
  shell,
  utilityProcess,
  type IpcMainInvokeEvent,
} from 'electron';
import { join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../app/contract.js';
import { dispatch } from '../app/dispatch.js';
import { formatRtc } from '../protocol/amounts.js';
import { parsePaymentLink, PAYMENT_LINK_SCHEME } from '../protocol/payment-link.js';
import type { NodeLauncher } from '../app/embedded-node.js';
import { packageRoot } from '../app/package-root.js';
import { startRuntime, type Runtime } from '../app/runtime.js';
import { SECURITY_HEADERS } from '../host/security-headers.js';
import { loadWindowState, saveWindowState } from './window-state.js';

const APP_ORIGIN = 'app://rustchain';
const rendererDir = join(packageRoot(), 'dist', 'renderer');
const preloadPath = join(packageRoot(), 'dist', 'electron', 'preload.cjs');

protocol.registerSchemesAsPrivileged([
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

function isOurFrame(url: string | undefined): boolean {
  if (!url) return false;
  try {
    return new URL(url).origin === APP_ORIGIN;
  } catch {
    return false;
  }
}

/** app://rustchain/<path> → a file under dist/renderer, with the security headers; nothing outside it. */
function registerAppProtocol(): void {
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    if (url.origin !== APP_ORIGIN) return new Response('not found', { status: 404 });
    const relative = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '') || 'index.html';
    const file = join(rendererDir, relative.includes('.') ? relative : 'index.html');
    if (!file.startsWith(rendererDir + sep)) return new Response('forbidden', { status: 403 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) headers.set(k, v);
    return new Response(response.body, { status: response.status, headers });
  });
}

function createWindow(runtime: Runtime): BrowserWindow {
  const state = loadWindowState(runtime.home);
  const win = new BrowserWindow({
    x: state.x,
    y: state.y,
    width: state.width,
    height: state.height,
    minWidth: 900,
    minHeight: 600,
    backgroundColor: '#0e1116',
    title: 'RustChain Desktop',
    show: false,
    webPreferences: {
      preload: preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });
  if (state.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  const save = () => {
    if (win.isDestroyed()) return;
    saveWindowState(runtime.home, { ...win.getNormalBounds(), maximized: win.isMaximized() });
  };
  win.on('close', save);
  // Navigation away from the app and new windows are refused; http(s) links open in the system browser.
  win.webContents.on('will-navigate', (e, url) => {
    if (!isOurFrame(url)) e.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

/** A positive integer command-line switch (`--slot-seconds=1`), else the default. */
function switchInt(name: string, fallback: number): number {
  const n = Number(app.commandLine.getSwitchValue(name));
  return Number.isSafeInteger(n) && n > 0 ? n : fallback;
}

/** Runs `rustchain node` in an Electron utility process (Electron's own Node.js, no separate install). */
const launchUtilityNode: NodeLauncher = (args, env) => {
  const child = utilityProcess.fork(join(packageRoot(), 'bin', 'rustchain.js'), args, {
    env,
    stdio: 'pipe',
    serviceName: 'RustChain node',
  });
  return {
    get pid() {
      return child.pid;
    },
    stdout: child.stdout,
    stderr: child.stderr,
    // A utility process stops with SIGTERM; the supervisor's SIGKILL fallback goes to the OS.
    kill: (signal) =>
      signal === 'SIGKILL' && child.pid !== undefined ? process.kill(child.pid, 'SIGKILL') : child.kill(),
    once: (event, listener) => child.once(event, listener),
  };
};

/** Hands a `rustchain:` link to the renderer's Send form; a malformed link is logged and dropped. */
function openPaymentLink(runtime: Runtime, link: string): void {
  try {
    const p = parsePaymentLink(link);
    runtime.events.emit('payment.link', {
      to: p.address,
      amount: p.amountMicro === undefined ? '' : formatRtc(p.amountMicro),
      memo: p.memo ?? '',
    });
  } catch (err) {
    console.error(`[app] ignored payment link: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function linkInArgs(argv: readonly string[]): string | undefined {
  return argv.find((a) => a.startsWith(`${PAYMENT_LINK_SCHEME}:`));
}

async function main(): Promise<void> {
  app.setAsDefaultProtocolClient(PAYMENT_LINK_SCHEME);
  // macOS delivers links by event, possibly before the app is ready: keep the last one until then.
  let pendingLink: string | undefined = linkInArgs(process.argv);
  let onLink: (link: string) => void = (link) => (pendingLink = link);
  app.on('open-url', (event, link) => {
    event.preventDefault();
    onLink(link);
  });
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  registerAppProtocol();
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  const runtime = await startRuntime({
    shell: 'electron',
    launchNode: launchUtilityNode,
    // Until a public network exists the app runs its own dev chain (PROTOCOL.md B.0), as `npm start` does
    // for the headless host; `--no-dev` uses whatever network the data directory already holds.
    dev: app.commandLine.hasSwitch('no-dev')
      ? null
      : { slotSeconds: switchInt('slot-seconds', 2), epochSlots: switchInt('epoch-slots', 30) },
    log: (line) => console.error(line),
  });

  ipcMain.handle(IPC_CALL_CHANNEL, async (event: IpcMainInvokeEvent, command: unknown, args: unknown) => {
    if (!isOurFrame(event.senderFrame?.url)) {
      return { ok: false, error: { code: 'invalid_request', message: 'not allowed from this frame' } };
    }
    return dispatch(runtime.service.handlers, command, args, {
      onUnexpected: (c, err) => console.error(`[app] ${c} failed:`, err instanceof Error ? err.message : err),
    });
  });

  let win = createWindow(runtime);
  const unsubscribe = runtime.events.subscribe((event) => {
    if (!win.isDestroyed()) win.webContents.send(IPC_EVENT_CHANNEL, event);
  }, false);
  onLink = (link) => openPaymentLink(runtime, link);
  if (pendingLink) openPaymentLink(runtime, pendingLink);
  app.on('second-instance', (_event, argv) => {
    const link = linkInArgs(argv);
    if (link) openPaymentLink(runtime, link);
    if (win.isDestroyed()) win = createWindow(runtime);
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) win = createWindow(runtime);
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', () => {
    unsubscribe();
    void runtime.stop();
  });
}

void main();
