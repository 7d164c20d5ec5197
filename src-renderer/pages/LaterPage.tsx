import { useMinerStore } from '../stores/miner-store.js';
import { useNodeStore } from '../stores/node-store.js';

const COPY = {
  mining: {
    title: 'Mining',
    text: 'Attest this machine and earn epoch rewards. The mining dashboard arrives in the next release.',
  },
  explorer: {
    title: 'Explorer',
    text: 'Browse epochs, transfers and miners of the chain. The explorer arrives in the next release.',
  },
  node: { title: 'Node', text: 'Peers, logs and node controls arrive in the next release.' },
};

/** Routes reserved for the Mining, Explorer and Node pages of the next issue; shows the live status we already have. */
export function LaterPage({ page }: { page: keyof typeof COPY }) {
  const node = useNodeStore((s) => s.status);
  const miner = useMinerStore((s) => s.status);
  return (
    <div className="page" data-testid={`${page}-page`}>
      <div className="page-header">
        <h1>{COPY[page].title}</h1>
      </div>
      <div className="callout info">{COPY[page].text}</div>
      {page === 'mining' && miner ? (
        <section className="card">
          <h2>Miner</h2>
          <p className="dim">
            State: {miner.state}
            {miner.message ? ` — ${miner.message}` : ''}
          </p>
        </section>
      ) : null}
      {page !== 'mining' && node ? (
        <section className="card">
          <dl className="review">
            <dt>Chain</dt>
            <dd className="mono">{node.chainId ?? '—'}</dd>
            <dt>Node</dt>
            <dd className="mono">{node.url ?? '—'}</dd>
            <dt>Epoch</dt>
            <dd className="mono">{node.epoch ?? '—'}</dd>
            <dt>Committed</dt>
            <dd className="mono">{node.committedEpoch ?? '—'}</dd>
            <dt>Slot length</dt>
            <dd>{node.slotSeconds ? `${node.slotSeconds} s` : '—'}</dd>
          </dl>
        </section>
      ) : null}
    </div>
  );
}
