/**
 * The app API: one typed contract between the UI and the main side, served over Electron IPC and over the
 * headless host's WebSocket. Commands are request/response; events are pushed by the main side.
 *
 * Shared with the renderer, so this file imports nothing from Node. Amounts in µRTC travel as decimal
 * strings (JSON has no 64-bit integers); the renderer formats them with BigInt. Secret keys never appear
 * here: the renderer sees addresses, statuses, and the mnemonic exactly once, at creation.
 */
import { z } from 'zod';

/** µRTC as a decimal integer string (may be negative for ledger deltas). */
export const Urtc = z.string().regex(/^-?[0-9]{1,20}$/);
export const Address = z.string().regex(/^RTC[0-9a-f]{40}$/);
/** What the user may type as a recipient: any case of hex; the main side lower-cases it (C.4 step 2). */
export const AddressInput = z
  .string()
  .trim()
  .regex(/^RTC[0-9A-Fa-f]{40}$/, 'an address is RTC followed by 40 hexadecimal digits');
export const DerivationRule = z.enum(['lightclient_sha256', 'cli_slip10_master', 'mobile_sha256_path']);
export type DerivationRule = z.infer<typeof DerivationRule>;
export const Network = z.enum(['devnet', 'testnet', 'mainnet']);
export type Network = z.infer<typeof Network>;

const Password = z.string().min(1, 'a password is required').max(1024);
const Mnemonic = z.string().min(1).max(1000);
const Passphrase = z.string().max(1000).default('');

// ---------------------------------------------------------------------------------------------------
// Statuses (command results and event payloads)

export const NodeStatus = z.object({
  /** `embedded` = the app's own node; `remote` = a configured URL. */
  mode: z.enum(['embedded', 'remote']),
  url: z.string().nullable(),
  reachable: z.boolean(),
  ready: z.boolean(),
  chainId: z.string().nullable(),
  network: Network.nullable(),
  epoch: z.number().int().nullable(),
  slot: z.number().int().nullable(),
  /** Slot within the epoch, 0-based, and the epoch length in slots. */
  slotInEpoch: z.number().int().nullable(),
  epochSlots: z.number().int().nullable(),
  slotSeconds: z.number().int().nullable(),
  committedEpoch: z.number().int().nullable(),
  peers: z.number().int(),
  /** `synced` when the tip is at most one epoch behind the clock. */
  sync: z.enum(['synced', 'syncing', 'offline']),
  error: z.string().nullable(),
});
export type NodeStatus = z.infer<typeof NodeStatus>;

export const WalletAccount = z.object({
  address: Address,
  name: z.string(),
  derivation: z.string().nullable(),
});
export type WalletAccount = z.infer<typeof WalletAccount>;

export const WalletState = z.object({
  accounts: z.array(WalletAccount),
  active: Address.nullable(),
  locked: z.boolean(),
  /** Minutes of inactivity before the wallet locks itself; 0 = never. */
  autoLockMinutes: z.number().int().min(0),
});
export type WalletState = z.infer<typeof WalletState>;

export const Balance = z.object({
  address: Address,
  amountI64: Urtc,
  pendingOutI64: Urtc,
  availableI64: Urtc,
  /** Pending incoming transfers (not spendable until confirmed). */
  pendingInI64: Urtc,
  epoch: z.number().int().nullable(),
});
export type Balance = z.infer<typeof Balance>;

export const TransferStatus = z.enum(['pending', 'confirmed', 'failed', 'unknown']);
export type TransferStatus = z.infer<typeof TransferStatus>;

export const HistoryItem = z.object({
  kind: z.enum(['transfer_in', 'transfer_out', 'reward', 'ledger']),
  txHash: z.string().nullable(),
  amountI64: Urtc,
  counterparty: z.string().nullable(),
  status: z.enum(['pending', 'confirmed', 'voided']),
  epoch: z.number().int().nullable(),
  timestamp: z.number().nullable(),
  reason: z.string().nullable(),
});
export type HistoryItem = z.infer<typeof HistoryItem>;

export const TransferUpdate = z.object({
  txHash: z.string(),
  from: Address,
  to: Address,
  amountI64: Urtc,
  status: TransferStatus,
  epoch: z.number().int().nullable(),
  voidReason: z.string().nullable(),
});
export type TransferUpdate = z.infer<typeof TransferUpdate>;

export const SendPreview = z.object({
  draftId: z.string(),
  from: Address,
  to: Address,
  amountI64: Urtc,
  memo: z.string(),
  chainId: z.string(),
  /** The nonce expected at signing; the wallet reserves the final one then (C.4 step 4: at least this). */
  nonce: z.string(),
  /** The exact canonical JSON text that will be signed (A.5.3), with that nonce. */
  message: z.string(),
  /** µRTC that remain available after this transfer. */
  availableAfterI64: Urtc,
});
export type SendPreview = z.infer<typeof SendPreview>;

export const RestoreCandidate = z.object({
  rule: DerivationRule,
  address: Address,
  amountI64: Urtc,
  active: z.boolean(),
});
export type RestoreCandidate = z.infer<typeof RestoreCandidate>;

export const MinerStatus = z.object({
  state: z.enum(['stopped', 'starting', 'running', 'waiting', 'error', 'unavailable']),
  address: Address.nullable(),
  lastEpoch: z.number().int().nullable(),
  lastWeight: z.number().nullable(),
  message: z.string().nullable(),
  /** What the loop is doing right now (D.1 stage), in the miner's words. */
  activity: z.string().nullable().default(null),
  identity: z.enum(['wallet', 'miner_key']).nullable().default(null),
  nodeUrl: z.string().nullable().default(null),
  duty: z.number().nullable().default(null),
  /** Unix seconds. */
  lastAttestedAt: z.number().nullable().default(null),
  nextAttestAt: z.number().nullable().default(null),
  enrolledEpoch: z.number().int().nullable().default(null),
  enrolledWeight: z.number().nullable().default(null),
  deviceFamily: z.string().nullable().default(null),
  deviceArch: z.string().nullable().default(null),
  fingerprintPassed: z.boolean().nullable().default(null),
  fidelity: z.string().nullable().default(null),
  /** The node's reasons for the weight it gave (e.g. why a VM earns 0). */
  reasons: z.array(z.string()).default([]),
});
export type MinerStatus = z.infer<typeof MinerStatus>;

export const Settings = z.object({
  autoLockMinutes: z
    .number()
    .int()
    .min(0)
    .max(24 * 60),
  nodeMode: z.enum(['embedded', 'remote']),
  remoteNodeUrl: z.string().url().nullable(),
  /** RUSTCHAIN_HOME: keystores, the node's data and these settings live under it. */
  dataDir: z.string(),
});
export type Settings = z.infer<typeof Settings>;

export const EpochSummary = z.object({
  epoch: z.number().int(),
  epochHash: z.string(),
  committedAt: z.number().nullable(),
  attestationCount: z.number().int(),
  transferCount: z.number().int(),
  mintedI64: Urtc,
});
export type EpochSummary = z.infer<typeof EpochSummary>;

export const FingerprintCheck = z.object({
  name: z.string(),
  passed: z.boolean(),
  /** The measured values, as reported in the fingerprint (JSON text). */
  data: z.string(),
});
export type FingerprintCheck = z.infer<typeof FingerprintCheck>;

export const MinerAttempt = z.object({
  id: z.number().int(),
  at: z.number(),
  node: z.string(),
  epoch: z.number().int().nullable(),
  stage: z.string(),
  outcome: z.string(),
  status: z.number().int().nullable(),
  code: z.string().nullable(),
  message: z.string().nullable(),
  fingerprintPassed: z.boolean().nullable(),
  weight: z.number().nullable(),
  enrolledWeight: z.number().nullable(),
  fidelity: z.string().nullable(),
});
export type MinerAttempt = z.infer<typeof MinerAttempt>;

export const MinerDetails = z.object({
  address: Address.nullable(),
  attempts: z.array(MinerAttempt),
  /** The checks of the most recent measured attempt. */
  checks: z.array(FingerprintCheck),
  checksAt: z.number().nullable(),
  rewards: z.array(z.object({ epoch: z.number().int(), shareI64: Urtc, weight: z.number() })),
  totalEarnedI64: Urtc,
});
export type MinerDetails = z.infer<typeof MinerDetails>;

// Explorer views: results only (never validated inputs), so they are declared as TypeScript types.
// Amounts are µRTC decimal strings; weights are plain numbers (display only).

export interface ExplorerEpoch {
  epoch: number;
  epochHash: string;
  committedAt: number | null;
  header: Record<string, string | number>;
  anchor: { status: string; txId: string | null; error: string | null } | null;
  rewards: Array<{ miner: string; shareI64: string }>;
  attestations: Array<{ miner: string; minerId: string | null; family: string | null; arch: string | null }>;
  transfers: Array<{ txHash: string | null; from: string; to: string; amountRtc: number | null; memo: string | null }>;
  mintedI64: string;
}

export interface ExplorerTx {
  txHash: string;
  status: string;
  epoch: number | null;
  voidReason: string | null;
  from: string | null;
  to: string | null;
  amountRtc: number | null;
  memo: string | null;
}

export interface ExplorerAddress {
  address: string;
  amountI64: string;
  ledger: Array<{
    seq: number;
    ts: number | null;
    epoch: number | null;
    deltaI64: string;
    reason: string | null;
    txHash: string | null;
    counterparty: string | null;
  }>;
  pending: Array<{ txHash: string; from: string; to: string; amountI64: string }>;
  nextBefore: number | null;
}

export interface ExplorerMiner {
  miner: string;
  family: string | null;
  arch: string | null;
  hardwareType: string | null;
  fingerprintPassed: boolean;
  /** Table multiplier for the family and arch (B.1.5). */
  multiplier: number | null;
  weight: number | null;
  lastAttest: number | null;
  balanceI64?: string;
  rewards?: Array<{ epoch: number; shareI64: string; weight: number }>;
}

export interface ExplorerNetwork {
  currentEpoch: number | null;
  committedEpoch: number | null;
  enrolledMiners: number;
  activeMiners: number;
  attestationsThisEpoch: number | null;
  supplyI64: string | null;
  /** Oldest first, the last epochs. */
  perEpoch: Array<{ epoch: number; miners: number; totalWeight: number; mintedI64: string }>;
}

export const NodeDetails = z.object({
  dataDir: z.string().nullable(),
  dbBytes: z.number().int().nullable(),
  pid: z.number().int().nullable(),
  restarts: z.number().int(),
  nodeId: z.string().nullable(),
  implementation: z.string().nullable(),
  peers: z.array(z.object({ id: z.string(), url: z.string().nullable(), local: z.boolean() })),
  committedEpoch: z.number().int().nullable(),
  finalizedEpoch: z.number().int().nullable(),
  anchors: z.array(
    z.object({
      epoch: z.number().int(),
      status: z.string(),
      txId: z.string().nullable(),
      error: z.string().nullable(),
    }),
  ),
  logs: z.array(z.string()),
});
export type NodeDetails = z.infer<typeof NodeDetails>;

// ---------------------------------------------------------------------------------------------------
// Commands

const Empty = z.object({}).strict();

export const commands = {
  'app.info': {
    input: Empty,
    output: z.object({ version: z.string(), shell: z.enum(['electron', 'host']), dataDir: z.string() }),
  },
  /** The user did something; resets the auto-lock timer. */
  'app.activity': { input: Empty, output: z.object({}) },
  'node.status': { input: Empty, output: NodeStatus },

  'wallet.state': { input: Empty, output: WalletState },
  /** Generates a 24-word mnemonic, kept on the main side until `wallet.finishCreate` or 10 minutes pass. */
  'wallet.beginCreate': {
    input: z.object({ passphrase: Passphrase }).strict(),
    output: z.object({ draftId: z.string(), words: z.array(z.string()).length(24) }),
  },
  'wallet.finishCreate': {
    input: z.object({ draftId: z.string(), password: Password, name: z.string().max(100).optional() }).strict(),
    output: z.object({ address: Address }),
  },
  'wallet.restoreCandidates': {
    input: z.object({ mnemonic: Mnemonic, passphrase: Passphrase }).strict(),
    output: z.object({
      candidates: z.array(RestoreCandidate),
      preselected: DerivationRule.nullable(),
      nodeUnreachable: z.boolean(),
    }),
  },
  'wallet.restore': {
    input: z.object({ mnemonic: Mnemonic, passphrase: Passphrase, rule: DerivationRule, password: Password }).strict(),
    output: z.object({ address: Address }),
  },
  'wallet.select': { input: z.object({ address: Address }).strict(), output: WalletState },
  'wallet.unlock': { input: z.object({ password: Password }).strict(), output: WalletState },
  'wallet.lock': { input: Empty, output: WalletState },
  'wallet.balance': { input: Empty, output: Balance },
  'wallet.history': {
    input: z.object({ limit: z.number().int().min(1).max(200).default(50) }).strict(),
    output: z.object({ total: z.number().int(), items: z.array(HistoryItem) }),
  },
  /** Composes the exact message to sign; nothing is signed or sent yet. */
  'wallet.prepareSend': {
    input: z.object({ to: AddressInput, amount: z.string().max(40), memo: z.string().max(1024).default('') }).strict(),
    output: SendPreview,
  },
  /** Signs the prepared message with the password and sends it. */
  'wallet.confirmSend': {
    input: z.object({ draftId: z.string(), password: Password }).strict(),
    output: z.object({ txHash: z.string(), status: TransferStatus, nonce: z.string() }),
  },
  'wallet.transfers': { input: Empty, output: z.array(TransferUpdate) },

  'miner.status': { input: Empty, output: MinerStatus },
  /**
   * Starts the attestation loop on the main side. `wallet` mines for the active wallet and needs its
   * password (the key is decrypted here and never leaves the main side); `miner_key` uses the per-install key.
   */
  'miner.start': {
    input: z
      .object({
        identity: z.enum(['wallet', 'miner_key']).default('miner_key'),
        password: Password.optional(),
        duty: z.number().min(0.05).max(1).default(0.5),
        node: z.union([z.literal('embedded'), z.string().url()]).default('embedded'),
      })
      .strict(),
    output: MinerStatus,
  },
  'miner.details': { input: Empty, output: MinerDetails },
  'miner.stop': { input: Empty, output: MinerStatus },

  /** Newest first, keyset-paginated: pass the previous page's `nextBefore`. */
  'explorer.epochs': {
    input: z
      .object({
        limit: z.number().int().min(1).max(100).default(20),
        before: z.number().int().min(0).nullable().default(null),
      })
      .strict(),
    output: z.object({
      epochs: z.array(EpochSummary),
      nextBefore: z.number().int().nullable(),
      committedEpoch: z.number().int().nullable(),
    }),
  },
  'explorer.search': {
    input: z.object({ query: z.string().max(200) }).strict(),
    output: z.object({
      kind: z.enum(['epoch', 'transaction', 'address', 'miner']).nullable(),
      target: z.string().nullable(),
    }),
  },
  'explorer.epoch': {
    input: z.object({ epoch: z.number().int().min(0) }).strict(),
    output: z.custom<ExplorerEpoch>(),
  },
  'explorer.tx': {
    input: z.object({ hash: z.string().regex(/^[0-9a-fA-F]{32}$/, 'a transaction hash is 32 hex digits') }).strict(),
    output: z.custom<ExplorerTx>(),
  },
  'explorer.address': {
    input: z
      .object({
        address: z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/),
        before: z.number().int().nullable().default(null),
      })
      .strict(),
    output: z.custom<ExplorerAddress>(),
  },
  'explorer.miner': {
    input: z.object({ miner: z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/) }).strict(),
    output: z.custom<ExplorerMiner>(),
  },
  'explorer.miners': { input: Empty, output: z.custom<{ total: number; miners: ExplorerMiner[] }>() },
  'explorer.network': { input: Empty, output: z.custom<ExplorerNetwork>() },

  'node.details': { input: Empty, output: NodeDetails },

  'settings.get': { input: Empty, output: Settings },
  'settings.update': { input: Settings.partial().strict(), output: Settings },
} as const;

export type CommandName = keyof typeof commands;
export type CommandInput<C extends CommandName> = z.input<(typeof commands)[C]['input']>;
export type CommandArgs<C extends CommandName> = z.output<(typeof commands)[C]['input']>;
export type CommandResult<C extends CommandName> = z.infer<(typeof commands)[C]['output']>;

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(commands, name);
}

// ---------------------------------------------------------------------------------------------------
// Events

/** A `rustchain:` payment link the OS handed to the app (protocol/payment-link.ts); amount in RTC text. */
export const PaymentLinkRequest = z.object({ to: z.string(), amount: z.string(), memo: z.string() });
export type PaymentLinkRequest = z.infer<typeof PaymentLinkRequest>;

export const events = {
  'node.status': NodeStatus,
  'payment.link': PaymentLinkRequest,
  'wallet.state': WalletState,
  'wallet.balance': Balance,
  'wallet.transfer': TransferUpdate,
  'miner.status': MinerStatus,
} as const;

export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;
export type AnyEvent = { [E in EventName]: { name: E; payload: EventPayload<E> } }[EventName];

// ---------------------------------------------------------------------------------------------------
// Errors and the wire format shared by both transports

/** Stable error codes; the UI maps them to messages. */
export const ErrorCode = z.enum([
  'invalid_request',
  'invalid_amount',
  'invalid_address',
  'invalid_mnemonic',
  'wrong_password',
  'weak_password',
  'locked',
  'no_wallet',
  'not_found',
  'insufficient_funds',
  'node_unreachable',
  'node_rejected',
  'unavailable',
  'internal_error',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const AppErrorBody = z.object({ code: ErrorCode, message: z.string() });
export type AppErrorBody = z.infer<typeof AppErrorBody>;

export const WireRequest = z.object({
  type: z.literal('call'),
  id: z.number().int().nonnegative(),
  command: z.string().max(64),
  args: z.unknown(),
});
export type WireRequest = z.infer<typeof WireRequest>;

export type WireMessage =
  | { type: 'result'; id: number; ok: true; result: unknown }
  | { type: 'result'; id: number; ok: false; error: AppErrorBody }
  | { type: 'event'; name: EventName; payload: unknown };

/** What both doors (IPC via preload, WebSocket via the host) expose to the renderer. */
export interface AppApi {
  call<C extends CommandName>(command: C, args: CommandInput<C>): Promise<CommandResult<C>>;
  /** Subscribes to every pushed event; returns the unsubscribe function. */
  onEvent(listener: (event: AnyEvent) => void): () => void;
}

/**
 * What the Electron preload puts on `window.rustchain`: outcomes instead of thrown errors, because error
 * objects lose their fields when they cross the context bridge. The renderer wraps it into an AppApi.
 */
export interface PreloadBridge {
  invoke(
    command: CommandName,
    args: unknown,
  ): Promise<{ ok: true; result: unknown } | { ok: false; error: AppErrorBody }>;
  onEvent(listener: (event: AnyEvent) => void): () => void;
}

export { PRELOAD_GLOBAL, IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from './ipc-channels.js';
