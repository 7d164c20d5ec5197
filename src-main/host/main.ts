/**
 * `rustchain-host`: the desktop app without Electron. Serves the built renderer and the app contract on
 * 127.0.0.1, runs the embedded node, and prints one JSON line `{"event":"ready","url":…}` on stdout.
 *
 * Options: --dev [--slot-seconds N] [--epoch-slots N]  --port N  --home DIR  --renderer DIR
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { packageRoot } from '../app/package-root.js';
import { startRuntime } from '../app/runtime.js';
import { startHost } from './host.js';

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
  return n;
}

export async function runHost(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      dev: { type: 'boolean', default: false },
      'slot-seconds': { type: 'string' },
      'epoch-slots': { type: 'string' },
      port: { type: 'string' },
      home: { type: 'string' },
      renderer: { type: 'string' },
    },
    strict: true,
  });
  const log = (line: string) => process.stderr.write(line + '\n');
  const runtime = await startRuntime({
    shell: 'host',
    home: values.home ? resolve(values.home) : undefined,
    dev: values.dev
      ? {
          slotSeconds: positiveInt('slot-seconds', values['slot-seconds'], 2),
          epochSlots: positiveInt('epoch-slots', values['epoch-slots'], 30),
        }
      : null,
    log,
  });
  const host = await startHost({
    handlers: runtime.service.handlers,
    events: runtime.events,
    rendererDir: values.renderer ? resolve(values.renderer) : join(packageRoot(), 'dist', 'renderer'),
    port: values.port === undefined ? 0 : Number(values.port),
    onUnexpected: (command, err) => log(`[app] ${command} failed: ${err instanceof Error ? err.message : String(err)}`),
  });
  process.stdout.write(JSON.stringify({ event: 'ready', url: host.url, home: runtime.home }) + '\n');
  const shutdown = () => {
    void Promise.all([host.close(), runtime.stop()]).finally(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

runHost(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`rustchain-host: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
