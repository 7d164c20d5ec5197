/** The app's settings file `<home>/app-settings.json`, written atomically (temp file + fsync + rename). */
import { mkdirSync, openSync, readFileSync, renameSync, writeSync, fsyncSync, closeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Settings } from './contract.js';

export const SETTINGS_FILE = 'app-settings.json';

/** Settings plus the last active wallet, which the UI does not edit directly. */
export interface StoredSettings extends Settings {
  activeAddress: string | null;
}

export class SettingsStore {
  private readonly file: string;
  private value: StoredSettings;

  constructor(home: string) {
    this.file = join(home, SETTINGS_FILE);
    this.value = { autoLockMinutes: 15, nodeMode: 'embedded', remoteNodeUrl: null, dataDir: home, activeAddress: null };
    try {
      const raw = JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, unknown>;
      const parsed = Settings.partial().safeParse(raw);
      if (parsed.success) this.value = { ...this.value, ...parsed.data };
      if (typeof raw.activeAddress === 'string') this.value.activeAddress = raw.activeAddress;
    } catch {
      // Missing or unreadable: start from the defaults; the next save writes a good file.
    }
  }

  get(): StoredSettings {
    return { ...this.value };
  }

  update(patch: Partial<StoredSettings>): StoredSettings {
    this.value = { ...this.value, ...patch };
    mkdirSync(dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    const fd = openSync(temp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify(this.value, null, 2) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, this.file);
    return this.get();
  }
}
