/**
 * Keeps the node status the UI shows: fetches `/epoch` and `/network/info` when the node reports a commit
 * (or, for a node that cannot push, once per slot while a commit is due), and advances the slot locally
 * from the chain clock between fetches (A.2), so the UI's progress bar moves without any polling there.
 */
import type { Network, NodeStatus } from './contract.js';
import type { EventHub } from './event-hub.js';
import type { NodeEpochInfo, NodePort } from './ports.js';

interface ChainClock {
  genesisTime: number;
  slotSeconds: number;
  epochSlots: number;
}

function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

function toNetwork(n: string | null): Network | null {
  return n === 'devnet' || n === 'testnet' || n === 'mainnet' ? n : null;
}

export class NodeMonitor {
  private status: NodeStatus;
  private clock: ChainClock | null = null;
  private timer: NodeJS.Timeout | null = null;
  private refreshing: Promise<void> | null = null;
  private stopped = false;
  private lastCommitted: number | null = null;
  /** Listeners for a newly committed epoch (wallet refresh, transfer tracking). */
  private readonly commitListeners = new Set<(epoch: number) => void>();

  constructor(
    private node: NodePort | null,
    private mode: 'embedded' | 'remote',
    private readonly events: EventHub,
    private readonly now: () => number = () => Date.now() / 1000,
  ) {
    this.status = this.emptyStatus(null);
  }

  private emptyStatus(error: string | null): NodeStatus {
    return {
      mode: this.mode,
      url: this.node?.url ?? null,
      reachable: false,
      ready: false,
      chainId: null,
      network: null,
      epoch: null,
      slot: null,
      slotInEpoch: null,
      epochSlots: null,
      slotSeconds: null,
      committedEpoch: null,
      peers: 0,
      sync: 'offline',
      error,
    };
  }

  current(): NodeStatus {
    return { ...this.status };
  }

  onCommit(listener: (epoch: number) => void): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  /** Switches to another node (settings change, or the embedded node restarted on a new port). */
  setNode(node: NodePort | null, mode: 'embedded' | 'remote' = this.mode): void {
    this.node = node;
    this.mode = mode;
    this.clock = null;
    this.lastCommitted = null;
    this.status = this.emptyStatus(node ? null : 'no node configured');
    this.publish();
    void this.refresh();
  }

  start(): void {
    void this.refresh();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Called when the node pushes an event (embedded node: `epoch_committed`). */
  notifyNodeEvent(): void {
    void this.refresh();
  }

  refresh(): Promise<void> {
    this.refreshing ??= this.fetch().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async fetch(): Promise<void> {
    const node = this.node;
    if (!node || this.stopped) return;
    try {
      const [ready, epoch, info] = await Promise.all([node.ready(), node.epoch(), node.networkInfo()]);
      if (node !== this.node) return;
      this.applyEpoch(epoch);
      this.status = {
        ...this.status,
        url: node.url,
        reachable: true,
        ready,
        chainId: info.chainId,
        network: toNetwork(info.network),
        peers: info.peerCount,
        committedEpoch: epoch.committedEpoch,
        error: null,
      };
    } catch (err) {
      if (node !== this.node) return;
      this.status = { ...this.emptyStatus(err instanceof Error ? err.message : String(err)), url: node.url };
    }
    this.tick();
    const committed = this.status.committedEpoch;
    if (committed !== null && committed !== this.lastCommitted) {
      const first = this.lastCommitted === null;
      this.lastCommitted = committed;
      if (!first) for (const l of this.commitListeners) l(committed);
    }
  }

  private applyEpoch(e: NodeEpochInfo): void {
    const slotSeconds = Math.max(1, Math.round((e.epochEnd - e.epochStart) / e.epochSlots));
    this.clock = {
      genesisTime: e.epochStart - e.epoch * e.epochSlots * slotSeconds,
      slotSeconds,
      epochSlots: e.epochSlots,
    };
  }

  /** Recomputes slot and epoch from the clock, publishes, and schedules itself for the next slot boundary. */
  private tick(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.stopped) return;
    const clock = this.clock;
    if (!clock || !this.status.reachable) {
      this.publish();
      this.timer = setTimeout(() => void this.refresh(), 2000);
      return;
    }
    const t = this.now();
    const slot = floorDiv(Math.floor(t) - clock.genesisTime, clock.slotSeconds);
    const epoch = floorDiv(slot, clock.epochSlots);
    const committed = this.status.committedEpoch;
    // The tip may trail the clock by up to two epochs during the grace period after an epoch ends (B.7).
    const synced = this.status.ready && (committed === null || committed >= epoch - 2);
    this.status = {
      ...this.status,
      epoch,
      slot,
      slotInEpoch: slot - epoch * clock.epochSlots,
      epochSlots: clock.epochSlots,
      slotSeconds: clock.slotSeconds,
      sync: synced ? 'synced' : 'syncing',
    };
    this.publish();
    const nextSlotAt = clock.genesisTime + (slot + 1) * clock.slotSeconds;
    const delayMs = Math.max(50, (nextSlotAt - t) * 1000 + 5);
    // A commit is due when the tip is behind the previous epoch; a remote node cannot tell us, so ask it.
    const commitDue = committed === null || committed < epoch - 1 || this.mode === 'remote';
    this.timer = setTimeout(() => (commitDue ? void this.refresh() : this.tick()), delayMs);
  }

  private publish(): void {
    this.events.emit('node.status', this.current());
  }
}
