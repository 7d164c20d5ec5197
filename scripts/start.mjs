// `npm start`: the desktop app. Runs Electron when its binary is installed and a display is available;
// otherwise the headless host with an embedded dev-mode node (PROTOCOL.md B.0), printing the URL to open.
// Never fails on a clean clone: it builds first if dist/ is missing.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** The installed Electron binary, or null. Reads the package's path.txt: requiring 'electron' would try a download. */
function electronBinary() {
  try {
    const pkgDir = dirname(require.resolve('electron/package.json'));
    const relative = readFileSync(join(pkgDir, 'path.txt'), 'utf8').trim();
    const binary = join(pkgDir, 'dist', relative);
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

const needsBuild = ['dist/src-main/host/main.js', 'dist/renderer/index.html', 'dist/electron/preload.cjs'].some(
  (f) => !existsSync(join(root, f)),
);
if (needsBuild) {
  console.error('Building first (npm run build)…');
  const built = spawnSync('npm', ['run', 'build'], {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (built.status !== 0) console.error('The build reported errors; trying to start anyway.');
}

const electron = electronBinary();
const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const extra = process.argv.slice(2);
let child;
if (electron && hasDisplay) {
  child = spawn(electron, [root, ...extra], { stdio: 'inherit' });
} else {
  console.error(
    electron
      ? 'No display found: starting the headless host.'
      : 'Electron is not installed here: starting the headless host.',
  );
  const devArgs = extra.length > 0 ? extra : ['--dev'];
  child = spawn(process.execPath, [join(root, 'dist/src-main/host/main.js'), ...devArgs], {
    stdio: ['inherit', 'pipe', 'inherit'],
  });
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    for (const line of chunk.split('\n').filter(Boolean)) {
      try {
        const event = JSON.parse(line);
        if (event.event === 'ready') {
          console.log(`RustChain Desktop is running. Open this URL in a browser:\n\n  ${event.url}\n`);
          continue;
        }
      } catch {
        // not a JSON line: pass it through
      }
      console.log(line);
    }
  });
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
