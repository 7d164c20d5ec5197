/** The main window's saved bounds, `<home>/window-state.json`, written atomically. */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface WindowState {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

const DEFAULT_STATE: WindowState = { width: 1200, height: 800, maximized: false };

export function loadWindowState(home: string): WindowState {
  try {
    const s = JSON.parse(readFileSync(join(home, 'window-state.json'), 'utf8')) as Partial<WindowState>;
    const size = (v: unknown, min: number) => (typeof v === 'number' && v >= min && v < 10000 ? v : undefined);
    return {
      x: typeof s.x === 'number' ? s.x : undefined,
      y: typeof s.y === 'number' ? s.y : undefined,
      width: size(s.width, 800) ?? DEFAULT_STATE.width,
      height: size(s.height, 560) ?? DEFAULT_STATE.height,
      maximized: s.maximized === true,
    };
  } catch {
    return { ...DEFAULT_STATE };
  }
}

export function saveWindowState(home: string, state: WindowState): void {
  const file = join(home, 'window-state.json');
  writeFileSync(`${file}.tmp`, JSON.stringify(state), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}
