/**
 * The real `rustchain node --dev` (bin/rustchain.js → dist/) for the miner's integration tests, on a
 * fixed port so that a restarted node answers at the same URL.
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { startNode, type RunningNode } from '../node/support/node-process.js';

export { BIN } from '../node/support/node-process.js';
export const CLI_BUILT = existsSync(resolve(process.cwd(), 'dist/src-main/cli/main.js'));

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => res(port));
    });
  });
}

export type DevNode = Pick<RunningNode, 'url' | 'proc'> & { stop(): Promise<void> };

/** Starts a dev node (1 s slots, 5-slot epochs) on `port` and resolves on its `ready` event line. */
export async function startDevNode(dataDir: string, port: number): Promise<DevNode> {
  const node = await startNode(dataDir, [
    '--dev',
    '--slot-seconds',
    '1',
    '--epoch-slots',
    '5',
    '--api-port',
    String(port),
  ]);
  return {
    url: node.url,
    proc: node.proc,
    async stop() {
      await node.stop();
    },
  };
}
