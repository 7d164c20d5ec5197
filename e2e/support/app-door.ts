/**
 * The two doors into the same UI that the e2e suite runs through: the headless host in Debian's Chromium,
 * and the Electron app through Playwright's `_electron.launch` where an Electron binary exists. Each door
 * opens the app on a fresh RUSTCHAIN_HOME with a short-slot dev node and hands back its page.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { _electron, type Browser, type Page } from 'playwright-core';
import { chromiumAvailable, launchChromium } from './browser.js';
import { ROOT, startHostProcess, type HostProcess } from './host-process.js';

export interface OpenApp {
  page: Page;
  /** The RUSTCHAIN_HOME of this run. */
  home: string;
  close(): Promise<void>;
}

export interface AppDoor {
  name: string;
  /** Why this door cannot run here, or null when it can. */
  unavailable: string | null;
  setup(): Promise<void>;
  teardown(): Promise<void>;
  open(timing: { slotSeconds: number; epochSlots: number }): Promise<OpenApp>;
}

/** The installed Electron binary, or null (its path.txt is written only when the binary was downloaded). */
export function electronBinary(): string | null {
  try {
    const pkgDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const binary = join(pkgDir, 'dist', readFileSync(join(pkgDir, 'path.txt'), 'utf8').trim());
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

export function chromiumDoor(): AppDoor {
  let browser: Browser | null = null;
  return {
    name: 'Chromium (headless host)',
    unavailable: chromiumAvailable() ? null : 'no Chromium at /usr/bin/chromium (apt-get install chromium)',
    async setup() {
      browser = await launchChromium();
    },
    async teardown() {
      await browser?.close();
    },
    async open(timing) {
      if (!browser) throw new Error('setup() first');
      const host: HostProcess = await startHostProcess(timing);
      const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
      await page.goto(host.url);
      return {
        page,
        home: host.home,
        close: async () => {
          await page.close();
          await host.stop();
        },
      };
    },
  };
}

export function electronDoor(): AppDoor {
  const binary = electronBinary();
  const display = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  return {
    name: 'Electron',
    unavailable: !binary
      ? 'no Electron binary is installed (it cannot be downloaded on this machine)'
      : !display
        ? 'no display (run under xvfb-run)'
        : null,
    async setup() {},
    async teardown() {},
    async open(timing) {
      const home = mkdtempSync(join(tmpdir(), 'rustchain-e2e-electron-'));
      const app = await _electron.launch({
        executablePath: binary ?? undefined,
        args: [ROOT, `--slot-seconds=${timing.slotSeconds}`, `--epoch-slots=${timing.epochSlots}`],
        env: { ...process.env, RUSTCHAIN_HOME: home } as Record<string, string>,
      });
      const page = await app.firstWindow();
      await page.setViewportSize({ width: 1280, height: 860 });
      return {
        page,
        home,
        close: async () => {
          await app.close();
          rmSync(home, { recursive: true, force: true });
        },
      };
    },
  };
}

/** Both doors; a door that cannot run here is reported once with its reason. */
export function appDoors(): AppDoor[] {
  const doors = [chromiumDoor(), electronDoor()];
  for (const d of doors) if (d.unavailable) console.warn(`e2e through ${d.name} skipped: ${d.unavailable}`);
  return doors;
}
