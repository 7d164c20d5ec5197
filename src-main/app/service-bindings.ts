/**
 * Binds the app's ports (ports.ts) to the services below: the wallet service (src-main/wallet), the node
 * HTTP client (src-main/client/node-client.ts) and the miner (src-main/miner).
 */
import { minerPortFor } from './miner-binding.js';
import { nodePortFor } from './node-binding.js';
import { walletPortFor } from './wallet-binding.js';
import type { MinerPort, NodePort, WalletPort } from './ports.js';

export interface ServiceBindings {
  wallet: WalletPort;
  nodeClient: (url: string) => NodePort;
  miner?: MinerPort;
}

export function createServiceBindings(options: { home: string }): ServiceBindings {
  const wallet: WalletPort = walletPortFor(options.home);
  const nodeClient = (url: string): NodePort => nodePortFor(url);
  return { wallet, nodeClient, miner: minerPortFor(options.home) };
}
