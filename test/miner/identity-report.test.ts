import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadVectors } from '../support/vectors.js';
import { reportCommitment } from '../../src-main/protocol/attestation.js';
import { hexToBytes } from '../../src-main/protocol/bytes.js';
import { canonicalJson, isJsonObject } from '../../src-main/protocol/canonical-json.js';
import { verifyStrict } from '../../src-main/protocol/keys.js';
import { loadOrCreateMinerKey, minerKeyPath, MinerKeyError } from '../../src-main/miner/identity.js';
import { buildReport, measurementBinding } from '../../src-main/miner/report.js';
import { claimedFamilyArch, deviceAndSignals, minerIdFor, type DeviceFacts } from '../../src-main/miner/device.js';
import { Backoff } from '../../src-main/miner/backoff.js';

describe('miner identity (D.2)', () => {
  it('creates the per-install key once, mode 0600, and reloads the same key', () => {
    const home = mkdtempSync(join(tmpdir(), 'rc-id-'));
    const a = loadOrCreateMinerKey(home);
    const file = JSON.parse(readFileSync(minerKeyPath(home), 'utf8')) as Record<string, unknown>;
    expect(file['kind']).toBe('rustchain-miner-key');
    expect(file['version']).toBe(1);
    expect(file['public_key']).toBe(a.publicKeyHex);
    expect(statSync(minerKeyPath(home)).mode & 0o777).toBe(0o600);
    const b = loadOrCreateMinerKey(home);
    expect(b.address).toBe(a.address);
    const msg = new TextEncoder().encode('hello');
    expect(verifyStrict(b.sign(msg), msg, hexToBytes(a.publicKeyHex))).toBe(true);
  });

  it('refuses a key file whose public key does not match its seed', () => {
    const home = mkdtempSync(join(tmpdir(), 'rc-id-'));
    loadOrCreateMinerKey(home);
    const file = JSON.parse(readFileSync(minerKeyPath(home), 'utf8')) as Record<string, unknown>;
    file['public_key'] = '00'.repeat(32);
    writeFileSync(minerKeyPath(home), JSON.stringify(file));
    expect(() => loadOrCreateMinerKey(home)).toThrow(MinerKeyError);
  });

  it('builds MINER_ID as <arch>-<hostname>', () => {
    expect(minerIdFor('modern', 'Work Station #7')).toBe('modern-work-station-7');
    expect(minerIdFor('aarch64', '--Pi..local--')).toBe('aarch64---pi..local');
    expect(minerIdFor('modern', 'host\u00e9!!')).toBe('modern-host');
    expect(minerIdFor('modern', 'x'.repeat(300))).toHaveLength(128);
  });
});

describe('device claims and identifier hashing (D.3)', () => {
  it('maps machine names to claimed family and arch', () => {
    expect(claimedFamilyArch('x86_64', 'AMD EPYC')).toEqual({ family: 'x86', arch: 'modern' });
    expect(claimedFamilyArch('arm64', 'Apple M2 Pro')).toEqual({ family: 'Apple Silicon', arch: 'M2' });
    expect(claimedFamilyArch('aarch64', 'Neoverse-N1')).toEqual({ family: 'ARM', arch: 'aarch64' });
    expect(claimedFamilyArch('armv7l', '')).toEqual({ family: 'ARM', arch: 'armv7' });
    expect(claimedFamilyArch('ppc', '7447A')).toEqual({ family: 'PowerPC', arch: 'powerpc' });
    expect(claimedFamilyArch('riscv64', '')).toEqual({ family: 'RISC-V', arch: 'riscv' });
  });

  it('hashes serial and MAC for our node exactly as the vector says, raw for the reference node', () => {
    const v = loadVectors('fingerprint-validation') as {
      identifier_hashing: { chain_id: string; serial: string; mac: string; sent_serial: string; sent_mac: string }[];
    };
    expect(v.identifier_hashing.length).toBeGreaterThan(0);
    for (const c of v.identifier_hashing) {
      const facts: DeviceFacts = {
        machine: 'x86_64',
        family: 'x86',
        arch: 'modern',
        cpu: 'cpu',
        cores: 2,
        memoryGb: 4,
        serial: c.serial,
        macs: [c.mac],
        hostname: 'h',
      };
      const { device, signals } = deviceAndSignals(facts, c.chain_id);
      expect(device['serial']).toBe(c.sent_serial);
      expect(signals['macs']).toEqual([c.sent_mac]);
      expect(device['serial_number']).toBeUndefined();
      expect(signals['serial']).toBeUndefined();
    }
    const raw = deviceAndSignals(
      {
        machine: 'x86_64',
        family: 'x86',
        arch: 'modern',
        cpu: 'c',
        cores: 1,
        memoryGb: 1,
        serial: 'ABC',
        macs: ['aa:bb:cc:dd:ee:ff'],
        hostname: 'h',
      },
      null,
    );
    expect(raw.device['serial']).toBe('ABC');
    expect(raw.signals['macs']).toEqual(['aa:bb:cc:dd:ee:ff']);
  });
});

describe('report and measurement binding (D.5)', () => {
  it('commits to nonce + miner + spaced_json(derived) with 48 fresh samples', () => {
    const nonce = 'ab'.repeat(32);
    const r = buildReport(nonce, 'RTC' + '1'.repeat(40));
    const derived = r['derived'];
    if (!isJsonObject(derived)) throw new Error('derived');
    expect(derived['sample_count']).toBe(48);
    expect((derived['samples_preview'] as number[]).length).toBe(12);
    expect(canonicalJson(r['entropy_score'] ?? null)).toBe(canonicalJson(derived['variance_ns'] ?? null));
    expect(r['commitment']).toBe(reportCommitment(nonce, 'RTC' + '1'.repeat(40), derived));
    const again = buildReport(nonce, 'RTC' + '1'.repeat(40));
    expect(canonicalJson(again['derived'] ?? null)).not.toBe(canonicalJson(derived));
  });

  it('binds the workload to the nonce', () => {
    const b = measurementBinding('03e8' + '0'.repeat(60));
    expect(b?.['iterations']).toBe(1000 + (0x03e8 % 1000));
    expect(Number(b?.['duration_ns'])).toBeGreaterThan(0);
    expect(measurementBinding('zz')).toBeNull();
  });
});

describe('back-off', () => {
  it('doubles up to the cap with jitter between half and full', () => {
    const lo = new Backoff(100, 1000, () => 0);
    expect([lo.next(), lo.next(), lo.next(), lo.next(), lo.next()]).toEqual([50, 100, 200, 400, 500]);
    const hi = new Backoff(100, 1000, () => 1);
    expect([hi.next(), hi.next(), hi.next(), hi.next(), hi.next()]).toEqual([100, 200, 400, 800, 1000]);
    hi.reset();
    expect(hi.next()).toBe(100);
  });
});
