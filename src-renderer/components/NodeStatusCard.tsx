import { useNodeStore } from '../stores/node-store.js';

/** Always-visible node status: epoch, slot progress within the epoch, peers and sync state. */
export function NodeStatusCard() {
  const status = useNodeStore((s) => s.status);
  if (!status) {
    return (
      <section className="node-card" aria-label="Node status">
        <span className="dim">Connecting to node…</span>
      </section>
    );
  }
  const progress =
    status.slotInEpoch !== null && status.epochSlots ? ((status.slotInEpoch + 1) / status.epochSlots) * 100 : 0;
  const dot = status.sync === 'synced' ? 'ok' : status.sync === 'syncing' ? 'warn' : 'bad';
  const syncText = status.sync === 'synced' ? 'Synced' : status.sync === 'syncing' ? 'Syncing' : 'Offline';
  return (
    <section className="node-card" aria-label="Node status" data-testid="node-status">
      <div className="row">
        <span>
          <span className={`dot ${dot}`} aria-hidden="true" />
          <span data-testid="node-sync">{syncText}</span>
        </span>
        <span className="label">{status.mode === 'embedded' ? 'Embedded node' : 'Remote node'}</span>
      </div>
      <div className="row">
        <span className="label">Epoch</span>
        <span className="mono" data-testid="node-epoch">
          {status.epoch ?? '—'}
        </span>
      </div>
      <div
        className="progress"
        role="progressbar"
        aria-label="Slot progress in the current epoch"
        aria-valuemin={0}
        aria-valuemax={status.epochSlots ?? 0}
        aria-valuenow={status.slotInEpoch !== null ? status.slotInEpoch + 1 : 0}
      >
        <div style={{ width: `${progress}%` }} />
      </div>
      <div className="row">
        <span className="label">Slot</span>
        <span className="mono">
          {status.slotInEpoch !== null && status.epochSlots ? `${status.slotInEpoch + 1} / ${status.epochSlots}` : '—'}
        </span>
      </div>
      <div className="row">
        <span className="label">Committed</span>
        <span className="mono" data-testid="node-committed">
          {status.committedEpoch ?? '—'}
        </span>
      </div>
      <div className="row">
        <span className="label">Peers</span>
        <span className="mono">{status.peers}</span>
      </div>
      {status.error ? <div className="field-error">{status.error}</div> : null}
    </section>
  );
}
