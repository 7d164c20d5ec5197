// electron-builder `beforeBuild` hook: rebuilds our fingerprint addon (native/binding.gyp) against
// Electron's headers for the arch being packaged, so native/build/Release/*.node matches Electron's ABI.
// Returning true lets electron-builder go on to rebuild the npm dependencies (better-sqlite3) itself.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function electronVersion(ctx) {
  if (ctx.electronVersion) return ctx.electronVersion;
  return JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
}

export default async function beforeBuild(ctx) {
  const nativeDir = join(root, 'native');
  if (!existsSync(join(nativeDir, 'binding.gyp'))) return true;
  const gyp = createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js');
  const args = [
    gyp,
    'rebuild',
    `--target=${electronVersion(ctx)}`,
    `--arch=${ctx.arch}`,
    '--dist-url=https://electronjs.org/headers',
  ];
  const r = spawnSync(process.execPath, args, { cwd: nativeDir, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`native addon rebuild for Electron failed (exit ${r.status})`);
  return true;
}
