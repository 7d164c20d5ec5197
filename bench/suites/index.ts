import type { BenchSuite } from '../result.js';

/** Every bench suite, by name; `npm run bench -- <name>` runs only the named ones. */
export const suites: Record<string, () => Promise<BenchSuite>> = {
  protocol: () => import('./protocol.js').then((m) => m.default),
  settlement: () => import('./settlement.js').then((m) => m.default),
  wallet: () => import('./wallet.js').then((m) => m.default),
  app: () => import('./app.js').then((m) => m.default),
  node: () => import('./node.js').then((m) => m.default),
  miner: () => import('./miner.js').then((m) => m.default),
};
