import type { BenchSuite } from '../result.js';

/** Every bench suite, by name; `npm run bench -- <name>` runs only the named ones. */
export const suites: Record<string, () => Promise<BenchSuite>> = {
  protocol: () => import('./protocol.js').then((m) => m.default),
  settlement: () => import('./settlement.js').then((m) => m.default),
};
