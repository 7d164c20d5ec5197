/**
 * Device and signals of PROTOCOL.md D.3: what the machine is (claims; the node derives its own) and
 * the identifiers that make its hardware id. Against our node the serial and MAC are replaced by
 * chain-specific hashes so that they stay private.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, hostname, machine as osMachine, networkInterfaces, totalmem } from 'node:os';
import type { JsonObject } from '../protocol/canonical-json.js';
import { hashMacForChain, hashSerialForChain } from '../protocol/fingerprint/hardware-id.js';

export interface DeviceFacts {
  machine: string;
  family: string;
  arch: string;
  cpu: string;
  cores: number;
  memoryGb: number;
  /** Raw serial ("" when none is usable). */
  serial: string;
  /** At most one MAC, `aa:bb:cc:dd:ee:ff`. */
  macs: string[];
  hostname: string;
}

const UNUSABLE_SERIALS = new Set([
  '',
  'none',
  'to be filled by o.e.m.',
  'default string',
  'system serial number',
  'not specified',
  '0',
]);

function readTrim(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

function run(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 });
  } catch {
    return '';
  }
}

/** Python's platform.machine(). */
export function machineName(): string {
  if (process.platform === 'win32') return process.env.PROCESSOR_ARCHITECTURE ?? osMachine();
  return osMachine();
}

/** D.3 claims from the lower-cased machine and the CPU brand. */
export function claimedFamilyArch(machine: string, brand: string): { family: string; arch: string } {
  const m = machine.toLowerCase();
  if (m === 'aarch64' || m === 'arm64') {
    const apple = /^apple (m\d+)/i.exec(brand.trim());
    return apple
      ? { family: 'Apple Silicon', arch: (apple[1] as string).toUpperCase() }
      : { family: 'ARM', arch: 'aarch64' };
  }
  if (['armv7l', 'armv6l', 'armhf', 'arm'].includes(m)) return { family: 'ARM', arch: 'armv7' };
  if (m.startsWith('ppc') || m.startsWith('powerpc')) return { family: 'PowerPC', arch: 'powerpc' };
  if (m.startsWith('sparc') || m === 'sun4u' || m === 'sun4v') return { family: 'SPARC', arch: 'sparc' };
  if (m.startsWith('mips')) return { family: 'MIPS', arch: 'mips' };
  if (m.startsWith('riscv')) return { family: 'RISC-V', arch: 'riscv' };
  if (m === 'm68k') return { family: 'M68K', arch: '68000' };
  if (m === 'ia64') return { family: 'IA-64', arch: 'itanium' };
  if (m.startsWith('s390')) return { family: 'S390', arch: 's390' };
  if (m.startsWith('sh')) return { family: 'SuperH', arch: m };
  return { family: 'x86', arch: 'modern' };
}

export function cpuBrand(): string {
  if (process.platform === 'linux') {
    const info = readTrim('/proc/cpuinfo');
    const model = /^model name\s*:\s*(.+)$/m.exec(info)?.[1] ?? /^cpu\s*:\s*(.+)$/m.exec(info)?.[1];
    if (model?.trim()) return model.trim();
    const lscpu = /^Model name:\s*(.+)$/m.exec(run('lscpu', []))?.[1];
    if (lscpu?.trim()) return lscpu.trim();
  } else if (process.platform === 'darwin') {
    const b = run('sysctl', ['-n', 'machdep.cpu.brand_string']).trim();
    if (b) return b;
  }
  // Windows: os.cpus() reads ProcessorNameString from the registry
  return cpus()[0]?.model.trim() || 'Unknown';
}

function usableSerial(s: string): string {
  const t = s.trim();
  return UNUSABLE_SERIALS.has(t.toLowerCase()) ? '' : t;
}

export function machineSerial(): string {
  if (process.platform === 'linux') {
    for (const f of ['product_serial', 'board_serial', 'chassis_serial']) {
      const s = usableSerial(readTrim(`/sys/class/dmi/id/${f}`));
      if (s) return s;
    }
    const id = readTrim('/etc/machine-id') || readTrim('/var/lib/dbus/machine-id');
    return usableSerial(id.slice(0, 16));
  }
  if (process.platform === 'darwin') {
    const m = /"IOPlatformSerialNumber"\s*=\s*"([^"]*)"/.exec(run('ioreg', ['-rd1', '-c', 'IOPlatformExpertDevice']));
    return usableSerial(m?.[1] ?? '');
  }
  if (process.platform === 'win32') {
    const bios = /SerialNumber\s*\r?\n\s*(\S.*)/.exec(run('wmic', ['bios', 'get', 'SerialNumber']))?.[1] ?? '';
    if (usableSerial(bios)) return usableSerial(bios);
    const guid = /MachineGuid\s+REG_SZ\s+(\S+)/.exec(
      run('reg', ['query', 'HKLM\\SOFTWARE\\Microsoft\\Cryptography', '/v', 'MachineGuid']),
    )?.[1];
    return usableSerial(guid ?? '');
  }
  return '';
}

const SKIPPED_INTERFACES =
  /^(lo|docker|br-|veth|virbr|vnet|vmnet|tun|tap|wg|tailscale|ts-|bond|dummy|utun|awdl|llw|bridge)/;

/**
 * The one stable MAC of D.3: the first (by name) non-skipped interface; on Linux only interfaces
 * backed by a device (/sys/class/net/<name>/device), i.e. physical or paravirtual NICs.
 */
export function primaryMac(): string[] {
  const ifaces = networkInterfaces();
  for (const name of Object.keys(ifaces).sort()) {
    if (SKIPPED_INTERFACES.test(name)) continue;
    if (process.platform === 'linux' && !existsSync(`/sys/class/net/${name}/device`)) continue;
    const entry = (ifaces[name] ?? []).find((a) => !a.internal && a.mac && a.mac !== '00:00:00:00:00:00');
    if (entry) return [entry.mac.toLowerCase()];
  }
  return [];
}

export function collectFacts(): DeviceFacts {
  const machine = machineName();
  const cpu = cpuBrand();
  const { family, arch } = claimedFamilyArch(machine, cpu);
  return {
    machine,
    family,
    arch,
    cpu,
    cores: Math.max(1, cpus().length),
    memoryGb: Math.floor(totalmem() / 2 ** 30),
    serial: machineSerial(),
    macs: primaryMac(),
    hostname: hostname(),
  };
}

/**
 * The `device` and `signals` objects. With a `chainId` (our node, A.10) the identifiers are hashed
 * (D.3 identifier hashing); without one the raw values are sent (reference node).
 */
export function deviceAndSignals(
  facts: DeviceFacts,
  chainId: string | null,
): { device: JsonObject; signals: JsonObject } {
  const device: JsonObject = {
    family: facts.family,
    arch: facts.arch,
    model: facts.cpu,
    cpu: facts.cpu,
    cores: facts.cores,
    memory_gb: facts.memoryGb,
    machine: facts.machine,
  };
  const signals: JsonObject = { hostname: facts.hostname };
  if (chainId === null) {
    if (facts.serial) device['serial'] = facts.serial;
    signals['macs'] = [...facts.macs];
  } else {
    const serial = hashSerialForChain(chainId, facts.serial);
    if (serial !== null) device['serial'] = serial;
    signals['macs'] = facts.macs.map((m) => hashMacForChain(chainId, m)).filter((m): m is string => m !== null);
  }
  return { device, signals };
}

/** Raw device and signals of this machine (for `rustchain fingerprint --full` and the rules). */
export function collectDevice(): { device: JsonObject; signals: JsonObject } {
  return deviceAndSignals(collectFacts(), null);
}

/** D.2: `<arch>-<hostname>`, lower-cased, runs outside [a-z0-9_.:-] → `-`, trimmed of `-`, ≤ 128. */
export function minerIdFor(arch: string, host: string): string {
  return `${arch}-${host}`
    .toLowerCase()
    .replace(/[^a-z0-9_.:-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 128);
}
