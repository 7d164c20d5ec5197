/**
 * What the app API needs from the services below it, in the app's own words. `service-bindings.ts` binds
 * these to the real WalletService / NodeClient / Miner; the app service never re-implements them.
 */
import type { NodeClient } from '../client/node-client.js';
import type { DerivationRule, MinerDetails, MinerStatus } from './contract.js';

export interface NodeEpochInfo {
  epoch: number;
  slot: number;
  epochSlots: number;
  epochStart: number;
  epochEnd: number;
  committedEpoch: number | null;
  chainId: string | null;
}

export interface NodeNetworkInfo {
  chainId: string;
  network: string;
  peerCount: number;
}

export interface NodeBalance {
  amountI64: bigint;
  pendingOutI64: bigint;
}

export interface NodeHistoryItem {
  type: string;
  amountI64: bigint;
  epoch: number | null;
  timestamp: number | null;
  txHash: string | null;
  status: string | null;
  counterparty: string | null;
  reason: string | null;
}

export interface NodeTxStatus {
  status: 'pending' | 'confirmed' | 'failed' | 'not_found';
  epoch: number | null;
  voidReason: string | null;
}

/** Read access to a node (embedded or remote) over its HTTP API. */
export interface NodePort {
  readonly url: string;
  /** The shared client, for services that take one (the wallet). */
  readonly client: NodeClient;
  ready(): Promise<boolean>;
  epoch(): Promise<NodeEpochInfo>;
  networkInfo(): Promise<NodeNetworkInfo>;
  balance(address: string): Promise<NodeBalance>;
  history(address: string, limit: number): Promise<{ total: number; items: NodeHistoryItem[] }>;
  tx(txHash: string): Promise<NodeTxStatus>;
}

export interface KeystoreSummary {
  address: string;
  name: string;
  derivation: string | null;
}

export interface TransferDraft {
  from: string;
  to: string;
  amountI64: bigint;
  memo: string;
  chainId: string;
  /** The nonce the wallet expects to use; the final one is reserved when signing (C.4 step 4). */
  nonce: bigint;
  /** The exact canonical JSON text to sign (A.5.3), with that nonce. */
  message: string;
}

export interface SentTransfer {
  txHash: string;
  /** `unknown`: the node did not answer (C.4 7a); the transfer is tracked, never re-signed. */
  status: 'pending' | 'unknown';
  /** The nonce that was actually signed. */
  nonce: bigint;
}

/** Keystores, mnemonics and sending (Part C), over the wallet service. */
export interface WalletPort {
  list(): Promise<KeystoreSummary[]>;
  generateMnemonic(): string;
  /** C.2 restore flow; throws AppError('invalid_mnemonic') for a phrase that fails C.1. */
  restoreCandidates(
    mnemonic: string,
    passphrase: string,
    node: NodePort | null,
  ): Promise<{
    candidates: Array<{ rule: DerivationRule; address: string; amountI64: bigint | null; active: boolean }>;
    preselected: DerivationRule | null;
    nodeUnreachable: boolean;
  }>;
  create(args: {
    mnemonic: string;
    passphrase: string;
    rule: DerivationRule;
    password: string;
    name?: string;
  }): Promise<{ address: string }>;
  /** Throws AppError('wrong_password') when the keystore does not decrypt. */
  verifyPassword(address: string, password: string): Promise<void>;
  /** Composes the exact message (C.4 steps 1–3, 5); nothing is reserved or signed. */
  prepare(args: { from: string; to: string; amount: string; memo: string; node: NodePort }): Promise<TransferDraft>;
  /** Decrypts with the password, signs and sends (C.4 steps 4–7a). */
  send(args: { draft: TransferDraft; password: string; node: NodePort }): Promise<SentTransfer>;
}

export interface MinerStartRequest {
  identity: 'wallet' | 'miner_key';
  /** The active wallet (identity `wallet`). */
  address: string | null;
  /** Decrypts the wallet's keystore for this start only. */
  password?: string;
  nodeUrl: string;
  duty: number;
}

/** The attestation loop on the main side (src-main/miner) and its record of attempts. */
export interface MinerPort {
  start(
    req: MinerStartRequest,
    onStatus: (patch: Partial<MinerStatus>) => void,
  ): Promise<{ address: string; identity: 'wallet' | 'miner_key' }>;
  stop(): Promise<void>;
  details(address: string | null, node: NodePort | null): Promise<MinerDetails>;
}
