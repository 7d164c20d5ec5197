import { useEffect, useState } from 'react';
import type { NodeDetails } from '../../../src-main/app/contract.js';
import { api, errorMessage } from '../../api/index.js';
import { useNodeStore } from '../../stores/node-store.js';

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

const SYNC_TEXT = { synced: 'Synced', syncing: 'Catching up', offline: 'Offline' } as const;

export function NodePage() {
  const status = useNodeStore((s) => s.status);
  const [details, setDetails] = useState<NodeDetails | null>(null);
  const [error, setError] = useState<string | null>(null);
  const committed = status?.committedEpoch ?? null;
  // Re-read details (DB size, logs, anchors) when a new epoch is committed: pushed, no polling.
  useEffect(() => {
    void api
      ?.call('node.details', {})
      .then((d) => {
        setDetails(d);
        setError(null);
      })
      .catch((e: unknown) => setError(errorMessage(e)));
  }, [committed]);

  return (
    <div className="page" data-testid="node-page">
      <div className="page-header">
        <h1>Node</h1>
      </div>
      {error ? (
        <p role="alert" className="field-error">
          {error}
        </p>
      ) : null}
      <div className="grid-2">
        <section className="card" aria-label="Sync status">
          <h2>Sync</h2>
          <dl className="review">
            <dt>State</dt>
            <dd data-testid="node-page-sync">{status ? SYNC_TEXT[status.sync] : '—'}</dd>
            <dt>Mode</dt>
            <dd>{status?.mode === 'remote' ? 'Remote node' : "The app's own node"}</dd>
            <dt>Chain</dt>
            <dd className="mono">{status?.chainId ?? '—'}</dd>
            <dt>Current epoch</dt>
            <dd className="mono" data-testid="node-page-epoch">
              {status?.epoch ?? '—'}
            </dd>
            <dt>Committed epoch</dt>
            <dd className="mono">{committed ?? '—'}</dd>
            <dt>Final epoch</dt>
            <dd className="mono">{details?.finalizedEpoch ?? '—'}</dd>
            <dt>Slot</dt>
            <dd>
              {status?.slotInEpoch !== null && status?.slotInEpoch !== undefined
                ? `${status.slotInEpoch + 1} of ${status.epochSlots ?? '?'} (${status.slotSeconds ?? '?'} s each)`
                : '—'}
            </dd>
          </dl>
        </section>
        <section className="card" aria-label="Storage">
          <h2>Storage</h2>
          <dl className="review">
            <dt>Data folder</dt>
            <dd className="mono" data-testid="node-data-dir">
              {details?.dataDir ?? '—'}
            </dd>
            <dt>Database size</dt>
            <dd className="mono" data-testid="node-db-size">
              {details?.dbBytes !== null && details?.dbBytes !== undefined ? formatBytes(details.dbBytes) : '—'}
            </dd>
            <dt>Process</dt>
            <dd>
              {details?.pid ? `pid ${details.pid}` : '—'}
              {details && details.restarts > 0 ? `, restarted ${details.restarts}×` : ''}
            </dd>
            <dt>Implementation</dt>
            <dd className="mono">{details?.implementation ?? '—'}</dd>
          </dl>
        </section>
      </div>
      <div className="grid-2">
        <section className="card" aria-label="Peers">
          <h2>Peers</h2>
          <p className="dim">Peer-to-peer sync is not available yet; this node is the only one.</p>
          <ul className="stack" data-testid="node-peers">
            {(details?.peers ?? []).map((p) => (
              <li key={p.id}>
                <span className="mono">{p.id.slice(0, 16)}…</span> {p.url} {p.local ? '(this computer)' : ''}
              </li>
            ))}
          </ul>
        </section>
        <section className="card" aria-label="Anchors">
          <h2>Anchors</h2>
          {details && details.anchors.length > 0 ? (
            <ul className="stack">
              {details.anchors.map((a) => (
                <li key={a.epoch}>
                  Epoch {a.epoch}: {a.status}
                  {a.txId ? <span className="mono"> {a.txId}</span> : null}
                  {a.error ? <span className="field-error"> {a.error}</span> : null}
                </li>
              ))}
            </ul>
          ) : (
            <p className="dim">No epoch has been anchored yet.</p>
          )}
        </section>
      </div>
      <section className="card" aria-label="Node log">
        <h2>Log</h2>
        <p className="faint">The last lines of the node&apos;s log; keys and recovery phrases are redacted.</p>
        <pre className="log" data-testid="node-log" tabIndex={0}>
          {(details?.logs ?? []).slice(-200).join('\n') || 'No log lines yet.'}
        </pre>
      </section>
    </div>
  );
}
