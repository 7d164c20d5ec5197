/**
 * Keystore files on disk (PROTOCOL.md C.3, E.3): `<wallets dir>/<address>.json`, mode 0600, created
 * atomically and never overwritten. Replacing a keystore (change of password) always leaves a backup in
 * `<wallets dir>/backups/` first.
 */
import { copyFileSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { RTC_ADDRESS_FORMAT } from '../protocol/keys.js';
import { WalletError } from './errors.js';
import { FileExistsError, createFileAtomic, replaceFileAtomic } from '../platform/atomic-file.js';
import {
  KeystoreError,
  parseKeystoreText,
  type KeystoreDerivation,
  type KeystoreFormat,
  type ParsedKeystore,
} from './keystore.js';

const KEYSTORE_FILE = /^RTC[0-9a-fA-F]{40}\.json$/;

export interface KeystoreSummary {
  address: string;
  name: string;
  format: KeystoreFormat;
  derivation: KeystoreDerivation | null;
  createdAt: number | null;
  path: string;
}

export interface LoadedKeystore {
  path: string;
  text: string;
  parsed: ParsedKeystore;
}

export function canonicalAddress(address: string): string {
  return 'RTC' + address.slice(3).toLowerCase();
}

export function asWalletError(e: unknown): unknown {
  if (e instanceof KeystoreError) return new WalletError(e.code, e.message);
  if (e instanceof FileExistsError) return new WalletError('file_exists', e.message, { path: e.path });
  return e;
}

export class KeystoreStore {
  readonly backupsDir: string;

  constructor(readonly dir: string) {
    this.backupsDir = join(dir, 'backups');
  }

  pathOf(address: string): string {
    return join(this.dir, `${canonicalAddress(address)}.json`);
  }

  /** An RTC address means the keystore in this directory; anything else is a file path. */
  resolve(ref: string): string {
    if (RTC_ADDRESS_FORMAT.test(ref)) return this.pathOf(ref);
    return isAbsolute(ref) ? ref : resolve(ref);
  }

  /** Every keystore file of the directory (other files, e.g. nonces.json, are not keystores). */
  list(): KeystoreSummary[] {
    if (!existsSync(this.dir)) return [];
    const out: KeystoreSummary[] = [];
    for (const file of readdirSync(this.dir).sort()) {
      if (!KEYSTORE_FILE.test(file)) continue;
      try {
        const { parsed, path } = this.load(join(this.dir, file));
        out.push(summaryOf(parsed, path));
      } catch {
        // A damaged file is reported when it is opened; listing shows the usable ones.
      }
    }
    return out;
  }

  /**
   * E.3 selection: an explicit reference wins; otherwise exactly one keystore is used, none →
   * `keystore_not_found`, several → `keystore_ambiguous`.
   */
  select(ref?: string): LoadedKeystore {
    if (ref !== undefined) return this.load(this.resolve(ref));
    const files = existsSync(this.dir) ? readdirSync(this.dir).filter((f) => KEYSTORE_FILE.test(f)) : [];
    if (files.length === 0) throw new WalletError('keystore_not_found', `no keystore in ${this.dir}`);
    if (files.length > 1) {
      throw new WalletError(
        'keystore_ambiguous',
        `${files.length} keystores in ${this.dir}; choose one with --keystore`,
        {
          keystores: files.map((f) => join(this.dir, f)),
        },
      );
    }
    return this.load(join(this.dir, files[0] as string));
  }

  load(path: string): LoadedKeystore {
    if (!existsSync(path)) throw new WalletError('keystore_not_found', `no keystore at ${path}`);
    const text = readFileSync(path, 'utf8');
    try {
      return { path, text, parsed: parseKeystoreText(text) };
    } catch (e) {
      throw asWalletError(e);
    }
  }

  /** Writes a new keystore object to `path` (default: `<dir>/<address>.json`); never overwrites. */
  create(obj: { address: string }, path = this.pathOf(obj.address)): string {
    try {
      createFileAtomic(path, JSON.stringify(obj, null, 2) + '\n', 0o600);
    } catch (e) {
      throw asWalletError(e);
    }
    return path;
  }

  /** Copies a file byte for byte into the directory (import). */
  importText(address: string, text: string): string {
    const path = this.pathOf(address);
    try {
      createFileAtomic(path, text, 0o600);
    } catch (e) {
      throw asWalletError(e);
    }
    return path;
  }

  /** A byte-for-byte copy in `<dir>/backups/<address>-<time>.json` (or in `destDir`). */
  backup(path: string, address: string, destDir = this.backupsDir): string {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    let target = join(destDir, `${canonicalAddress(address)}-${stamp}.json`);
    for (let i = 1; existsSync(target) && i < 100; i++) {
      target = join(destDir, `${canonicalAddress(address)}-${stamp}-${i}.json`);
    }
    try {
      createFileAtomic(target, readFileSync(path), 0o600);
    } catch (e) {
      throw asWalletError(e);
    }
    return target;
  }

  /** Replaces a keystore after backing it up; returns the backup's path. */
  replaceWithBackup(path: string, address: string, obj: object): string {
    const backup = this.backup(path, address);
    replaceFileAtomic(path, JSON.stringify(obj, null, 2) + '\n', 0o600);
    return backup;
  }

  /** Copies a keystore file to `out` unchanged (no re-encryption); never overwrites. */
  copyTo(path: string, out: string): string {
    if (existsSync(out))
      throw new WalletError('file_exists', `${out} already exists; it is never overwritten`, { path: out });
    copyFileSync(path, out);
    return out;
  }
}

export function summaryOf(ks: ParsedKeystore, path: string): KeystoreSummary {
  return {
    address: canonicalAddress(ks.address),
    name: ks.name,
    format: ks.format,
    derivation: ks.derivation,
    createdAt: ks.createdAt,
    path,
  };
}

export function isKeystoreFileName(path: string): boolean {
  return KEYSTORE_FILE.test(basename(path));
}
