/**
 * The one implementation of the app contract, over the wallet, the node (embedded or remote) and the miner.
 * Both doors (Electron IPC, the host's WebSocket) call `handlers` through `dispatch`, which validated the
 * arguments already. Secrets stay here: passwords are used for one call and dropped; the mnemonic of a new
 * wallet is shown once and kept only until the wallet is created (or 10 minutes pass).
 */
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type {
  Balance,
  CommandArgs,
  HistoryItem,
  MinerStatus,
  SendPreview,
  Settings,
  TransferUpdate,
  WalletState,
} from './contract.js';
import type { Handlers } from './dispatch.js';
import { AppError } from './errors.js';
import { ExplorerReader } from './explorer-binding.js';
import type { EventHub } from './event-hub.js';
import { NodeMonitor } from './node-monitor.js';
import type { MinerPort, NodeHistoryItem, NodePort, TransferDraft, WalletPort } from './ports.js';
import type { SettingsStore } from './settings-store.js';

const DRAFT_TTL_MS = 10 * 60 * 1000;
const MAX_DRAFTS = 8;
const MAX_TRACKED = 200;
const MIN_PASSWORD_LENGTH = 8;

export interface AppServiceOptions {
  version: string;
  shell: 'electron' | 'host';
  home: string;
  wallet: WalletPort;
  events: EventHub;
  settings: SettingsStore;
  /** Builds a node client for a URL (the embedded node's or the remote one). */
  nodeClient: (url: string) => NodePort;
  /** The embedded node's API URL once it is up, else null. */
  embeddedNodeUrl: () => string | null;
  miner?: MinerPort;
  /** The embedded node's process and folder, and its redacted log tail (Node page); null when remote. */
  embeddedNodeInfo?: () => { dataDir: string; pid: number | null; restarts: number } | null;
  nodeLogs?: () => string[];
  now?: () => number;
}

interface Expiring<T> {
  value: T;
  expires: number;
}

export class AppService {
  readonly handlers: Handlers;
  private readonly monitor: NodeMonitor;
  private node: NodePort | null = null;
  private locked = true;
  private active: string | null;
  private autoLockTimer: NodeJS.Timeout | null = null;
  private readonly mnemonicDrafts = new Map<string, Expiring<{ mnemonic: string; passphrase: string }>>();
  private readonly sendDrafts = new Map<string, Expiring<TransferDraft>>();
  private readonly tracked = new Map<string, TransferUpdate>();
  private minerStatus: MinerStatus = {
    state: 'stopped',
    address: null,
    lastEpoch: null,
    lastWeight: null,
    message: null,
    activity: null,
    identity: null,
    nodeUrl: null,
    duty: null,
    lastAttestedAt: null,
    nextAttestAt: null,
    enrolledEpoch: null,
    enrolledWeight: null,
    deviceFamily: null,
    deviceArch: null,
    fingerprintPassed: null,
    fidelity: null,
    reasons: [],
  };

  constructor(private readonly o: AppServiceOptions) {
    this.active = o.settings.get().activeAddress;
    const mode = o.settings.get().nodeMode;
    this.monitor = new NodeMonitor(null, mode, o.events, o.now);
    this.monitor.onCommit(() => void this.onEpochCommitted());
    this.handlers = this.buildHandlers();
  }

  async start(): Promise<void> {
    this.connectNode();
    this.monitor.start();
    const accounts = await this.o.wallet.list();
    if (!this.active || !accounts.some((a) => a.address === this.active)) this.active = accounts[0]?.address ?? null;
    await this.publishWalletState();
    this.o.events.emit('miner.status', this.minerStatus);
  }

  stop(): void {
    this.monitor.stop();
    if (this.autoLockTimer) clearTimeout(this.autoLockTimer);
  }

  /** The embedded node pushed an event (e.g. `epoch_committed`) or restarted. */
  embeddedNodeChanged(): void {
    if (this.o.settings.get().nodeMode !== 'embedded') return;
    if (this.node?.url !== this.o.embeddedNodeUrl()) this.connectNode();
    else this.monitor.notifyNodeEvent();
  }

  private connectNode(): void {
    const s = this.o.settings.get();
    const url = s.nodeMode === 'remote' ? s.remoteNodeUrl : this.o.embeddedNodeUrl();
    this.node = url ? this.o.nodeClient(url) : null;
    this.monitor.setNode(this.node, s.nodeMode);
  }

  private requireNode(): NodePort {
    if (!this.node) throw new AppError('node_unreachable', 'no node is connected');
    return this.node;
  }

  private requireUnlocked(): string {
    if (!this.active) throw new AppError('no_wallet', 'there is no wallet yet');
    if (this.locked) throw new AppError('locked', 'the wallet is locked');
    return this.active;
  }

  // ---------------------------------------------------------------------------------------------
  // Wallet state, lock and auto-lock

  private async walletState(): Promise<WalletState> {
    const accounts = await this.o.wallet.list();
    return {
      accounts: accounts.map((a) => ({ address: a.address, name: a.name, derivation: a.derivation })),
      active: this.active,
      locked: this.locked || this.active === null,
      autoLockMinutes: this.o.settings.get().autoLockMinutes,
    };
  }

  private async publishWalletState(): Promise<WalletState> {
    const state = await this.walletState();
    this.o.events.emit('wallet.state', state);
    return state;
  }

  private lock(): void {
    this.locked = true;
    this.sendDrafts.clear();
    if (this.autoLockTimer) clearTimeout(this.autoLockTimer);
    this.autoLockTimer = null;
  }

  private touchAutoLock(): void {
    if (this.locked) return;
    if (this.autoLockTimer) clearTimeout(this.autoLockTimer);
    const minutes = this.o.settings.get().autoLockMinutes;
    this.autoLockTimer =
      minutes > 0
        ? setTimeout(() => {
            this.lock();
            void this.publishWalletState();
          }, minutes * 60_000)
        : null;
    this.autoLockTimer?.unref();
  }

  private async unlockAs(address: string): Promise<WalletState> {
    this.active = address;
    this.locked = false;
    this.o.settings.update({ activeAddress: address });
    this.tracked.clear();
    this.touchAutoLock();
    const state = await this.publishWalletState();
    void this.refreshBalance();
    return state;
  }

  // ---------------------------------------------------------------------------------------------
  // Balance and transfers

  private async balance(): Promise<Balance> {
    const address = this.requireUnlocked();
    const node = this.requireNode();
    const [b, h] = await Promise.all([node.balance(address), node.history(address, 200)]);
    const pendingIn = h.items
      .filter((i) => i.status === 'pending' && i.type === 'transfer_in')
      .reduce((sum, i) => sum + i.amountI64, 0n);
    return {
      address,
      amountI64: b.amountI64.toString(),
      pendingOutI64: b.pendingOutI64.toString(),
      availableI64: (b.amountI64 - b.pendingOutI64).toString(),
      pendingInI64: pendingIn.toString(),
      epoch: this.monitor.current().committedEpoch,
    };
  }

  private async refreshBalance(): Promise<void> {
    if (this.locked || !this.active || !this.node) return;
    try {
      this.o.events.emit('wallet.balance', await this.balance());
    } catch {
      // The node status already shows why the node cannot answer.
    }
  }

  private async onEpochCommitted(): Promise<void> {
    await this.refreshBalance();
    const node = this.node;
    if (!node) return;
    for (const t of [...this.tracked.values()].filter((x) => x.status === 'pending' || x.status === 'unknown')) {
      try {
        const s = await node.tx(t.txHash);
        if (s.status === 'not_found' || s.status === t.status) continue;
        const update: TransferUpdate = { ...t, status: s.status, epoch: s.epoch, voidReason: s.voidReason };
        this.tracked.set(t.txHash, update);
        this.o.events.emit('wallet.transfer', update);
      } catch {
        // Try again at the next commit.
      }
    }
  }

  private track(update: TransferUpdate): void {
    this.tracked.set(update.txHash, update);
    while (this.tracked.size > MAX_TRACKED) {
      const oldest = this.tracked.keys().next().value as string;
      this.tracked.delete(oldest);
    }
    this.o.events.emit('wallet.transfer', update);
  }

  private static historyItem(i: NodeHistoryItem): HistoryItem {
    const kind =
      i.type === 'transfer_in' || i.type === 'transfer_out' || i.type === 'reward' ? i.type : ('ledger' as const);
    const status =
      i.status === 'pending' ? 'pending' : i.status === 'voided' || i.status === 'failed' ? 'voided' : 'confirmed';
    const abs = i.amountI64 < 0n ? -i.amountI64 : i.amountI64;
    return {
      kind,
      txHash: i.txHash,
      amountI64: abs.toString(),
      counterparty: i.counterparty,
      status,
      epoch: i.epoch,
      timestamp: i.timestamp,
      reason: i.reason,
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Drafts (new mnemonics and prepared transfers) expire and are bounded

  private static putDraft<T>(map: Map<string, Expiring<T>>, value: T): string {
    const now = Date.now();
    for (const [id, d] of map) if (d.expires < now) map.delete(id);
    while (map.size >= MAX_DRAFTS) map.delete(map.keys().next().value as string);
    const id = randomBytes(16).toString('hex');
    map.set(id, { value, expires: now + DRAFT_TTL_MS });
    return id;
  }

  private static takeDraft<T>(map: Map<string, Expiring<T>>, id: string, what: string): T {
    const d = map.get(id);
    if (!d || d.expires < Date.now()) {
      map.delete(id);
      throw new AppError('not_found', `this ${what} expired; start again`);
    }
    return d.value;
  }

  private async createWallet(
    mnemonic: string,
    passphrase: string,
    rule: Parameters<WalletPort['create']>[0]['rule'],
    password: string,
    name?: string,
  ) {
    if (password.length < MIN_PASSWORD_LENGTH) {
      throw new AppError('weak_password', `a password has at least ${MIN_PASSWORD_LENGTH} characters`);
    }
    const { address } = await this.o.wallet.create({ mnemonic, passphrase, rule, password, name });
    await this.unlockAs(address);
    return { address };
  }

  // ---------------------------------------------------------------------------------------------

  private buildHandlers(): Handlers {
    const o = this.o;
    return {
      'app.info': async () => ({ version: o.version, shell: o.shell, dataDir: o.settings.get().dataDir }),
      'app.activity': async () => {
        this.touchAutoLock();
        return {};
      },
      'node.status': async () => this.monitor.current(),

      'wallet.state': async () => this.walletState(),
      'wallet.beginCreate': async ({ passphrase }) => {
        const mnemonic = o.wallet.generateMnemonic();
        const draftId = AppService.putDraft(this.mnemonicDrafts, { mnemonic, passphrase });
        return { draftId, words: mnemonic.split(' ') };
      },
      'wallet.finishCreate': async ({ draftId, password, name }) => {
        const draft = AppService.takeDraft(this.mnemonicDrafts, draftId, 'recovery phrase');
        const result = await this.createWallet(draft.mnemonic, draft.passphrase, 'lightclient_sha256', password, name);
        this.mnemonicDrafts.delete(draftId);
        return result;
      },
      'wallet.restoreCandidates': async ({ mnemonic, passphrase }) => {
        const r = await o.wallet.restoreCandidates(mnemonic, passphrase, this.node);
        return {
          candidates: r.candidates.map((c) => ({
            rule: c.rule,
            address: c.address,
            amountI64: (c.amountI64 ?? 0n).toString(),
            active: c.active,
          })),
          preselected: r.preselected,
          nodeUnreachable: r.nodeUnreachable,
        };
      },
      'wallet.restore': async ({ mnemonic, passphrase, rule, password }) =>
        this.createWallet(mnemonic, passphrase, rule, password),
      'wallet.select': async ({ address }) => {
        const accounts = await o.wallet.list();
        if (!accounts.some((a) => a.address === address)) throw new AppError('not_found', 'no such wallet');
        this.lock();
        this.active = address;
        o.settings.update({ activeAddress: address });
        return this.publishWalletState();
      },
      'wallet.unlock': async ({ password }) => {
        if (!this.active) throw new AppError('no_wallet', 'there is no wallet yet');
        await o.wallet.verifyPassword(this.active, password);
        return this.unlockAs(this.active);
      },
      'wallet.lock': async () => {
        this.lock();
        return this.publishWalletState();
      },
      'wallet.balance': async () => this.balance(),
      'wallet.history': async ({ limit }) => {
        const address = this.requireUnlocked();
        const h = await this.requireNode().history(address, limit);
        return { total: h.total, items: h.items.map((i) => AppService.historyItem(i)) };
      },
      'wallet.prepareSend': async ({ to, amount, memo }) => {
        const from = this.requireUnlocked();
        const node = this.requireNode();
        const draft = await o.wallet.prepare({ from, to: to.trim(), amount, memo, node });
        const b = await node.balance(from);
        const availableAfter = b.amountI64 - b.pendingOutI64 - draft.amountI64;
        if (availableAfter < 0n)
          throw new AppError('insufficient_funds', 'the amount is more than the available balance');
        const draftId = AppService.putDraft(this.sendDrafts, draft);
        const preview: SendPreview = {
          draftId,
          from: draft.from,
          to: draft.to,
          amountI64: draft.amountI64.toString(),
          memo: draft.memo,
          chainId: draft.chainId,
          nonce: draft.nonce.toString(),
          message: draft.message,
          availableAfterI64: availableAfter.toString(),
        };
        return preview;
      },
      'wallet.confirmSend': async ({ draftId, password }) => {
        const from = this.requireUnlocked();
        const draft = AppService.takeDraft(this.sendDrafts, draftId, 'transfer');
        if (draft.from !== from) throw new AppError('not_found', 'this transfer belongs to another wallet');
        const sent = await o.wallet.send({ draft, password, node: this.requireNode() });
        this.sendDrafts.delete(draftId);
        this.touchAutoLock();
        this.track({
          txHash: sent.txHash,
          from: draft.from,
          to: draft.to,
          amountI64: draft.amountI64.toString(),
          status: sent.status,
          epoch: null,
          voidReason: null,
        });
        void this.refreshBalance();
        return { txHash: sent.txHash, status: sent.status, nonce: sent.nonce.toString() };
      },
      'wallet.transfers': async () => {
        this.requireUnlocked();
        return [...this.tracked.values()].reverse();
      },

      'miner.status': async () => this.minerStatus,
      'miner.start': async ({ identity, password, duty, node }) => {
        if (!o.miner) throw new AppError('unavailable', 'the miner is not available in this build');
        const nodeUrl = node === 'embedded' ? o.embeddedNodeUrl() : node;
        if (!nodeUrl) throw new AppError('node_unreachable', 'the embedded node is not running yet');
        if (identity === 'wallet' && !this.active) throw new AppError('no_wallet', 'there is no wallet yet');
        const started = await o.miner.start({ identity, address: this.active, password, duty, nodeUrl }, (patch) =>
          this.setMinerStatus(patch),
        );
        this.setMinerStatus({
          state: 'starting',
          activity: 'starting',
          address: started.address,
          identity: started.identity,
          nodeUrl,
          duty,
          message: null,
          reasons: [],
        });
        return this.minerStatus;
      },
      'miner.stop': async () => {
        await o.miner?.stop();
        this.setMinerStatus({ state: 'stopped', activity: 'stopped', nextAttestAt: null });
        return this.minerStatus;
      },
      'miner.details': async () => {
        if (!o.miner) throw new AppError('unavailable', 'the miner is not available in this build');
        return o.miner.details(this.minerStatus.address, this.node);
      },

      'explorer.epochs': async ({ limit, before }) => this.explorer().epochs(limit, before),
      'explorer.search': async ({ query }) => this.explorer().search(query),
      'explorer.epoch': async ({ epoch }) => this.explorer().epoch(epoch),
      'explorer.tx': async ({ hash }) => this.explorer().tx(hash),
      'explorer.address': async ({ address, before }) => this.explorer().address(address, before),
      'explorer.miner': async ({ miner }) => this.explorer().miner(miner),
      'explorer.miners': async () => this.explorer().miners(),
      'explorer.network': async () => this.explorer().network(),

      'node.details': async () => this.nodeDetails(),

      'settings.get': async () => AppService.publicSettings(o.settings.get()),
      'settings.update': async (patch: CommandArgs<'settings.update'>) => {
        const before = o.settings.get();
        if (patch.nodeMode === 'remote' && !(patch.remoteNodeUrl ?? before.remoteNodeUrl)) {
          throw new AppError('invalid_request', 'enter the remote node URL first');
        }
        const after = o.settings.update(patch);
        if (after.nodeMode !== before.nodeMode || after.remoteNodeUrl !== before.remoteNodeUrl) this.connectNode();
        if (after.autoLockMinutes !== before.autoLockMinutes) {
          this.touchAutoLock();
          void this.publishWalletState();
        }
        return AppService.publicSettings(after);
      },
    };
  }

  private static publicSettings(s: Settings): Settings {
    return {
      autoLockMinutes: s.autoLockMinutes,
      nodeMode: s.nodeMode,
      remoteNodeUrl: s.remoteNodeUrl,
      dataDir: s.dataDir,
    };
  }

  private explorer(): ExplorerReader {
    return new ExplorerReader(this.requireNode().client);
  }

  private async nodeDetails() {
    const info = this.o.embeddedNodeInfo?.() ?? null;
    let dbBytes: number | null = null;
    if (info) {
      dbBytes = 0;
      for (const f of ['node.db', 'node.db-wal', 'node.db-shm']) {
        try {
          dbBytes += statSync(join(info.dataDir, f)).size;
        } catch {
          // not created (yet)
        }
      }
    }
    const status = this.monitor.current();
    let nodeId: string | null = null;
    let implementation: string | null = null;
    let anchors: Array<{ epoch: number; status: string; txId: string | null; error: string | null }> = [];
    const node = this.node;
    if (node) {
      const [peers, health, anchorList] = await Promise.all([
        node.client.getObject('/api/peers').catch(() => null),
        node.client.health().catch(() => null),
        node.client.getObject('/anchor/list?limit=10').catch(() => null),
      ]);
      nodeId = typeof peers?.['node_id'] === 'string' ? peers['node_id'] : null;
      implementation = health?.implementation ?? null;
      const list = anchorList?.['anchors'];
      if (Array.isArray(list)) {
        anchors = list.flatMap((a) => {
          if (a === null || typeof a !== 'object' || Array.isArray(a)) return [];
          const r = a as Record<string, unknown>;
          return [
            {
              epoch: Number(r['epoch']),
              status: String(r['status']),
              txId: typeof r['tx_id'] === 'string' ? r['tx_id'] : null,
              error: typeof r['last_error'] === 'string' ? r['last_error'] : null,
            },
          ];
        });
      }
    }
    return {
      dataDir: info?.dataDir ?? null,
      dbBytes,
      pid: info?.pid ?? null,
      restarts: info?.restarts ?? 0,
      nodeId,
      implementation,
      // Until P2P exists the only peer is the node itself.
      peers: node ? [{ id: nodeId ?? 'local', url: node.url, local: status.mode === 'embedded' }] : [],
      committedEpoch: status.committedEpoch,
      // One validator with quorum 1 (B.7): a committed epoch carries its certificate and is final.
      finalizedEpoch: status.committedEpoch,
      anchors,
      logs: this.o.nodeLogs?.() ?? [],
    };
  }

  /** Used by the miner binding to report progress. */
  setMinerStatus(status: Partial<MinerStatus>): void {
    this.minerStatus = { ...this.minerStatus, ...status };
    this.o.events.emit('miner.status', this.minerStatus);
  }
}
