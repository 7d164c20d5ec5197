// Builds the native fingerprint addon (native/binding.gyp) during `npm ci`. A failed build does not
// fail the install: the miner then falls back to its lower-fidelity TypeScript measurements and says so.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = join(root, 'native');
if (!existsSync(join(nativeDir, 'binding.gyp'))) {
  console.log('native: no binding.gyp yet, nothing to build');
  process.exit(0);
}
const gyp = process.env.npm_config_node_gyp;
const [cmd, args] = gyp ? [process.execPath, [gyp, 'rebuild']] : ['node-gyp', ['rebuild']];
const r = spawnSync(cmd, args, { cwd: nativeDir, stdio: 'inherit', shell: !gyp });
if (r.status !== 0) {
  console.warn('native: the fingerprint addon did not build; the miner will use its lower-fidelity fallback');
}
process.exit(0);
