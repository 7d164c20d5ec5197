// `npm run dist:check`: checks the installer configuration without building anything.
//  1. electron-builder loads electron-builder.yml and validates it against its own schema
//     (app-builder-lib's getConfig + validateConfiguration, the same code `electron-builder` runs);
//  2. the release requirements hold (app id, fuses, rustchain: scheme, targets, unpacked natives);
//  3. every file the package needs exists (main entry, preload, renderer, CLI, icons, native addon,
//     licence, the rebuild hook).
// Usage: node scripts/dist-check.mjs [--project DIR] [--json]. Exit 0 when all checks pass, 1 otherwise.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const json = args.includes('--json');
const projectFlag = args.indexOf('--project');
const projectDir = resolve(
  projectFlag >= 0 ? (args[projectFlag + 1] ?? '.') : join(dirname(fileURLToPath(import.meta.url)), '..'),
);
// electron-builder is resolved from this repository even when --project points elsewhere.
const require = createRequire(import.meta.url);

const REQUIRED_FUSES = {
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
};
const REQUIRED_TARGETS = {
  mac: { dmg: ['x64', 'arm64'] },
  win: { nsis: ['x64'] },
  linux: { AppImage: ['x64'], deb: ['x64'] },
};
const ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const PNG_SIGNATURE = '89504e470d0a1a0a';

const checks = [];
const warnings = [];
function check(name, ok, detail = '') {
  checks.push({ name, ok: Boolean(ok), detail });
}

function targetsOf(platformConfig) {
  const out = {};
  for (const t of [platformConfig?.target ?? []].flat()) {
    const entry = typeof t === 'string' ? { target: t } : t;
    out[entry.target] = [...(entry.arch ?? ['x64'])].map(String);
  }
  return out;
}

function pngSize(path) {
  const b = readFileSync(path);
  if (b.length < 24 || b.subarray(0, 8).toString('hex') !== PNG_SIGNATURE) return null;
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}

function fileCheck(name, relative, validate) {
  const path = join(projectDir, relative);
  if (!existsSync(path) || !statSync(path).isFile() || statSync(path).size === 0) {
    check(name, false, `${relative} is missing or empty`);
    return;
  }
  const problem = validate?.(path);
  check(name, !problem, problem ? `${relative}: ${problem}` : relative);
}

async function main() {
  const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
  const { DebugLogger } = require('builder-util');
  // electron-builder logs to stdout; keep stdout for our report (machine-readable with --json).
  require('builder-util/out/log.js').log.stream = process.stderr;

  let config = null;
  try {
    config = await getConfig(projectDir, null, null);
    check('electron-builder loads the configuration', true, 'electron-builder.yml');
  } catch (err) {
    check('electron-builder loads the configuration', false, err.message);
  }
  if (config) {
    try {
      await validateConfiguration(config, new DebugLogger(false));
      check('electron-builder schema validation', true);
    } catch (err) {
      check('electron-builder schema validation', false, err.message.split('\n  How to fix:')[0]);
    }

    check('app id', /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$/i.test(config.appId ?? ''), config.appId ?? 'missing');
    const fuses = config.electronFuses ?? {};
    const wrongFuses = Object.entries(REQUIRED_FUSES).filter(([k, v]) => fuses[k] !== v);
    check('Electron fuses', wrongFuses.length === 0, wrongFuses.map(([k, v]) => `${k} must be ${v}`).join(', '));
    const schemes = (config.protocols ? [config.protocols].flat() : []).flatMap((p) => p.schemes ?? []);
    check('rustchain: URL scheme registered', schemes.includes('rustchain'), schemes.join(', '));
    for (const [platform, wanted] of Object.entries(REQUIRED_TARGETS)) {
      const have = targetsOf(config[platform]);
      const missing = Object.entries(wanted).flatMap(([target, arches]) =>
        arches.filter((a) => !(have[target] ?? []).includes(a)).map((a) => `${target} ${a}`),
      );
      check(`${platform} targets`, missing.length === 0, missing.length ? `missing ${missing.join(', ')}` : '');
    }
    const unpack = [config.asarUnpack ?? []].flat();
    check(
      'native modules unpacked from asar',
      unpack.some((p) => p.includes('*.node')),
      unpack.join(', '),
    );
    // getConfig normalises `files` into file sets ({filter: [...]}); plain strings are accepted too.
    const filePatterns = [config.files ?? []]
      .flat()
      .flatMap((f) => (typeof f === 'string' ? [f] : [f.filter ?? []].flat()));
    check(
      'app files include the native addon',
      filePatterns.some((f) => f.startsWith('native/') && f.includes('.node')),
      filePatterns.join(', '),
    );
    if (typeof config.beforeBuild === 'string') {
      fileCheck('native rebuild hook', config.beforeBuild.replace(/^\.\//, ''));
    } else {
      check('native rebuild hook', false, 'beforeBuild must name the hook that rebuilds native/ for Electron');
    }
  }

  let pkg = {};
  try {
    pkg = JSON.parse(readFileSync(join(projectDir, 'package.json'), 'utf8'));
  } catch (err) {
    check('package.json', false, err.message);
  }
  fileCheck('main entry (npm run build)', pkg.main ?? 'package.json has no "main"');
  fileCheck('preload (npm run build)', 'dist/electron/preload.cjs');
  fileCheck('renderer index.html (npm run build)', 'dist/renderer/index.html');
  fileCheck('CLI entry', 'bin/rustchain.js');
  fileCheck('licence', 'LICENSE');
  fileCheck('native fingerprint addon (npm ci)', 'native/build/Release/rustchain_fingerprint.node');
  fileCheck('macOS icon', 'assets/icon.icns', (p) =>
    readFileSync(p).subarray(0, 4).toString('latin1') === 'icns' ? null : 'not an ICNS file',
  );
  fileCheck('Windows icon', 'assets/icon.ico', (p) => {
    const b = readFileSync(p);
    return b.readUInt16LE(0) === 0 && b.readUInt16LE(2) === 1 && b.readUInt16LE(4) > 0 ? null : 'not an ICO file';
  });
  for (const size of ICON_SIZES) {
    fileCheck(`icon ${size}px`, `assets/icons/${size}x${size}.png`, (p) => {
      const dims = pngSize(p);
      return dims && dims[0] === size && dims[1] === size ? null : `expected a ${size}×${size} PNG`;
    });
  }

  // The fuse turns ELECTRON_RUN_AS_NODE off; a main process that still relies on it cannot start its node.
  const mainPath = join(projectDir, pkg.main ?? '');
  if (config?.electronFuses?.runAsNode === false && pkg.main && existsSync(mainPath)) {
    if (readFileSync(mainPath, 'utf8').includes('ELECTRON_RUN_AS_NODE')) {
      warnings.push(
        `${pkg.main} sets ELECTRON_RUN_AS_NODE, which the runAsNode fuse disables in the packaged app; ` +
          'start the node with utilityProcess.fork instead',
      );
    }
  }

  const ok = checks.every((c) => c.ok);
  if (json) {
    process.stdout.write(JSON.stringify({ ok, checks, warnings }, null, 2) + '\n');
  } else {
    for (const c of checks) console.log(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}${c.detail ? ` — ${c.detail}` : ''}`);
    for (const w of warnings) console.log(`warn ${w}`);
    console.log(ok ? 'dist:check passed' : 'dist:check FAILED');
  }
  process.exitCode = ok ? 0 : 1;
}

main().catch((err) => {
  console.error(`dist:check crashed: ${err.stack ?? err}`);
  process.exitCode = 2;
});
