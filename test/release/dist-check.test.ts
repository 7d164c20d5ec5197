import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

interface Report {
  ok: boolean;
  checks: { name: string; ok: boolean; detail: string }[];
  warnings: string[];
}

const ROOT = resolve(process.cwd());
const SCRIPT = join(ROOT, 'scripts', 'dist-check.mjs');
const temps: string[] = [];

function distCheck(...args: string[]): { status: number | null; report: Report } {
  const r = spawnSync(process.execPath, [SCRIPT, '--json', ...args], { cwd: ROOT, encoding: 'utf8' });
  expect(r.stderr).not.toContain('crashed');
  return { status: r.status, report: JSON.parse(r.stdout) as Report };
}

function byName(report: Report, name: string) {
  const c = report.checks.find((x) => x.name === name);
  if (!c) throw new Error(`no check named ${name}`);
  return c;
}

function pngDims(png: Buffer): [number, number] {
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
}

afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

describe('npm run dist:check', () => {
  it('passes on this repository (after npm run build)', () => {
    const { status, report } = distCheck();
    const failed = report.checks.filter((c) => !c.ok);
    expect(failed, JSON.stringify(failed, null, 2)).toEqual([]);
    expect(status).toBe(0);
    expect(report.ok).toBe(true);
    for (const name of [
      'electron-builder schema validation',
      'Electron fuses',
      'rustchain: URL scheme registered',
      'mac targets',
      'main entry (npm run build)',
      'native fingerprint addon (npm ci)',
      'licence',
      'icon 1024px',
    ]) {
      expect(byName(report, name).ok).toBe(true);
    }
  });

  it('reports schema errors, wrong fuses and missing files of a broken project', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rc-dist-check-'));
    temps.push(dir);
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'broken', version: '1.0.0', main: 'dist/main.js' }),
    );
    writeFileSync(
      join(dir, 'electron-builder.yml'),
      [
        'appId: org.example.broken',
        'notAnOption: true',
        'electronFuses:',
        '  runAsNode: true',
        'mac:',
        '  target: dmg',
        '',
      ].join('\n'),
    );
    mkdirSync(join(dir, 'assets', 'icons'), { recursive: true });
    // A file with the right name but the wrong size must be caught too.
    copyFileSync(join(ROOT, 'assets', 'icons', '16x16.png'), join(dir, 'assets', 'icons', '32x32.png'));

    const { status, report } = distCheck('--project', dir);
    expect(status).toBe(1);
    expect(report.ok).toBe(false);
    expect(byName(report, 'electron-builder schema validation')).toMatchObject({ ok: false });
    expect(byName(report, 'electron-builder schema validation').detail).toContain('notAnOption');
    expect(byName(report, 'Electron fuses').detail).toContain('runAsNode must be false');
    expect(byName(report, 'mac targets').detail).toBe('missing dmg arm64');
    expect(byName(report, 'rustchain: URL scheme registered').ok).toBe(false);
    expect(byName(report, 'main entry (npm run build)').detail).toBe('dist/main.js is missing or empty');
    expect(byName(report, 'licence').ok).toBe(false);
    expect(byName(report, 'icon 32px').detail).toContain('expected a 32×32 PNG');
  });
});

describe('icon set', () => {
  it('has every PNG size, and the .ico and .icns hold PNGs of the sizes they announce', () => {
    for (const size of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) {
      expect(pngDims(readFileSync(join(ROOT, 'assets', 'icons', `${size}x${size}.png`)))).toEqual([size, size]);
    }

    const ico = readFileSync(join(ROOT, 'assets', 'icon.ico'));
    const count = ico.readUInt16LE(4);
    const icoSizes: number[] = [];
    for (let i = 0; i < count; i++) {
      const e = 6 + 16 * i;
      const size = ico[e] === 0 ? 256 : ico[e]!;
      const png = ico.subarray(ico.readUInt32LE(e + 12), ico.readUInt32LE(e + 12) + ico.readUInt32LE(e + 8));
      expect(pngDims(png)).toEqual([size, size]);
      icoSizes.push(size);
    }
    expect(icoSizes).toEqual([16, 24, 32, 48, 64, 128, 256]);

    const icns = readFileSync(join(ROOT, 'assets', 'icon.icns'));
    expect(icns.toString('latin1', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const pixels: Record<string, number> = {
      icp4: 16,
      icp5: 32,
      icp6: 64,
      ic07: 128,
      ic08: 256,
      ic09: 512,
      ic10: 1024,
    };
    const retina: Record<string, number> = { ic11: 32, ic12: 64, ic13: 256, ic14: 512 };
    const seen: string[] = [];
    for (let off = 8; off < icns.length;) {
      const type = icns.toString('latin1', off, off + 4);
      const len = icns.readUInt32BE(off + 4);
      const expected = pixels[type] ?? retina[type];
      expect(expected, `unknown icns type ${type}`).toBeDefined();
      expect(pngDims(icns.subarray(off + 8, off + len))).toEqual([expected, expected]);
      seen.push(type);
      off += len;
    }
    expect(seen.sort()).toEqual([...Object.keys(pixels), ...Object.keys(retina)].sort());
  });
});
