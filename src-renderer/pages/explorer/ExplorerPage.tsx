import { useEffect, useState, type ReactNode } from 'react';
import { Bar, CartesianGrid, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type {
  ExplorerAddress,
  ExplorerEpoch,
  ExplorerMiner,
  ExplorerNetwork,
  ExplorerTx,
} from '../../../src-main/app/contract.js';
import { api, errorMessage } from '../../api/index.js';
import { formatRtc, formatTime, shortAddress } from '../../format.js';
import { EpochList } from './EpochList.js';

export type ExplorerView =
  | { kind: 'home' }
  | { kind: 'epoch'; id: string }
  | { kind: 'transaction'; id: string }
  | { kind: 'address'; id: string }
  | { kind: 'miner'; id: string };

/** Loads one explorer view; shows the error in words when the node refuses. */
function useLoad<T>(load: () => Promise<T> | undefined, key: string): { data: T | null; error: string | null } {
  const [state, setState] = useState<{ key: string; data: T | null; error: string | null }>({
    key: '',
    data: null,
    error: null,
  });
  useEffect(() => {
    let live = true;
    load()
      ?.then((data) => live && setState({ key, data, error: null }))
      .catch((e: unknown) => live && setState({ key, data: null, error: errorMessage(e) }));
    return () => {
      live = false;
    };
  }, [key]);
  return state.key === key ? state : { data: null, error: null };
}

function Link(props: { go: (v: ExplorerView) => void; to: ExplorerView; children: ReactNode }) {
  return (
    <button className="linklike mono" onClick={() => props.go(props.to)}>
      {props.children}
    </button>
  );
}

function Loading({ error }: { error: string | null }) {
  return error ? (
    <p role="alert" className="field-error">
      {error}
    </p>
  ) : (
    <p className="dim">Loading…</p>
  );
}

export function ExplorerPage() {
  const [view, setView] = useState<ExplorerView>({ kind: 'home' });
  const [query, setQuery] = useState('');
  const [searchError, setSearchError] = useState<string | null>(null);
  // Each search re-reads its result, even when it leads to the view already shown.
  const [searches, setSearches] = useState(0);

  async function search() {
    setSearchError(null);
    const q = query.trim();
    if (!q || !api) return;
    try {
      const r = await api.call('explorer.search', { query: q });
      if (r.kind && r.target) {
        setView({ kind: r.kind, id: r.target });
        setSearches((n) => n + 1);
      } else setSearchError(`Nothing found for “${q}”.`);
    } catch (e) {
      setSearchError(errorMessage(e));
    }
  }

  return (
    <div className="page" data-testid="explorer-page">
      <div className="page-header">
        <h1>Explorer</h1>
      </div>
      <form
        className="row"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          void search();
        }}
      >
        <input
          type="text"
          aria-label="Search by epoch, transaction hash, address or miner id"
          placeholder="Epoch number, tx hash, address or miner id"
          data-testid="explorer-search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          style={{ flex: 1 }}
        />
        <button className="btn primary" type="submit">
          Search
        </button>
        {view.kind !== 'home' ? (
          <button className="btn" type="button" onClick={() => setView({ kind: 'home' })}>
            Overview
          </button>
        ) : null}
      </form>
      {searchError ? (
        <p role="alert" className="field-error" data-testid="explorer-search-error">
          {searchError}
        </p>
      ) : null}
      <div key={searches} className="stack">
        {view.kind === 'home' ? <Overview go={setView} /> : null}
        {view.kind === 'epoch' ? <EpochDetail epoch={Number(view.id)} go={setView} /> : null}
        {view.kind === 'transaction' ? <TxDetail hash={view.id} go={setView} /> : null}
        {view.kind === 'address' ? <AddressDetail address={view.id} go={setView} /> : null}
        {view.kind === 'miner' ? <MinerDetail miner={view.id} go={setView} /> : null}
      </div>
    </div>
  );
}

function Overview({ go }: { go: (v: ExplorerView) => void }) {
  const net = useLoad<ExplorerNetwork>(() => api?.call('explorer.network', {}), 'network');
  const miners = useLoad<{ total: number; miners: ExplorerMiner[] }>(() => api?.call('explorer.miners', {}), 'miners');
  const n = net.data;
  const card = (title: string, value: string, testId: string) => (
    <div className="card stat">
      <h3>{title}</h3>
      <div className="value" data-testid={testId}>
        {value}
      </div>
    </div>
  );
  return (
    <>
      <div className="grid-4">
        {card('Current epoch', n?.currentEpoch?.toString() ?? '—', 'net-epoch')}
        {card('Enrolled miners', n ? String(n.enrolledMiners) : '—', 'net-miners')}
        {card('Attestations last epoch', n?.attestationsThisEpoch?.toString() ?? '—', 'net-attestations')}
        {card('Total supply (RTC)', n?.supplyI64 ? formatRtc(n.supplyI64, { maxFraction: 2 }) : '—', 'net-supply')}
      </div>
      <section className="card" aria-label="Miners and weight per epoch">
        <h2>Enrolled miners and total weight</h2>
        {n && n.perEpoch.length > 0 ? (
          <div className="chart" role="img" aria-label={`Miners and weight over ${n.perEpoch.length} epochs`}>
            <ResponsiveContainer width="100%" height="100%">
              <ComposedChart data={n.perEpoch} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
                <CartesianGrid stroke="#28303b" vertical={false} />
                <XAxis dataKey="epoch" stroke="#8691a1" tickLine={false} fontSize={12} />
                <YAxis yAxisId="m" stroke="#8691a1" allowDecimals={false} fontSize={12} width={40} />
                <YAxis yAxisId="w" orientation="right" stroke="#8691a1" fontSize={12} width={60} />
                <Tooltip contentStyle={{ background: '#151a21', border: '1px solid #3a4452', borderRadius: 8 }} />
                <Bar yAxisId="m" dataKey="miners" name="Miners" fill="#3b82f6" isAnimationActive={false} />
                <Line
                  yAxisId="w"
                  dataKey="totalWeight"
                  name="Total weight"
                  stroke="#f0883e"
                  dot={false}
                  isAnimationActive={false}
                />
              </ComposedChart>
            </ResponsiveContainer>
          </div>
        ) : (
          <Loading error={net.error} />
        )}
      </section>
      <div className="grid-2">
        <section className="card" aria-label="Epochs">
          <h2>Epochs</h2>
          <EpochList onOpen={(epoch) => go({ kind: 'epoch', id: String(epoch) })} />
        </section>
        <section className="card" aria-label="Miners">
          <h2>Miners</h2>
          {miners.data ? (
            miners.data.miners.length === 0 ? (
              <div className="empty">No miner attested in the last hour.</div>
            ) : (
              <table data-testid="miners-table">
                <thead>
                  <tr>
                    <th scope="col">Miner</th>
                    <th scope="col">Hardware</th>
                    <th scope="col">Multiplier</th>
                    <th scope="col">Weight</th>
                  </tr>
                </thead>
                <tbody>
                  {miners.data.miners.map((m) => (
                    <tr key={m.miner}>
                      <td>
                        <Link go={go} to={{ kind: 'miner', id: m.miner }}>
                          {shortAddress(m.miner)}
                        </Link>
                      </td>
                      <td>{m.hardwareType ?? `${m.family ?? '?'} / ${m.arch ?? '?'}`}</td>
                      <td className="mono">{m.multiplier ?? '—'}×</td>
                      <td className="mono">
                        {m.weight ?? '—'}
                        {m.fingerprintPassed ? '' : ' (fingerprint failed)'}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          ) : (
            <Loading error={miners.error} />
          )}
        </section>
      </div>
    </>
  );
}

function EpochDetail({ epoch, go }: { epoch: number; go: (v: ExplorerView) => void }) {
  const { data: e, error } = useLoad<ExplorerEpoch>(() => api?.call('explorer.epoch', { epoch }), `epoch-${epoch}`);
  if (!e) return <Loading error={error} />;
  return (
    <section className="card" data-testid="epoch-detail" aria-label={`Epoch ${e.epoch}`}>
      <h2>Epoch {e.epoch}</h2>
      <dl className="review">
        <dt>Hash</dt>
        <dd className="mono" data-testid="epoch-hash">
          {e.epochHash}
        </dd>
        <dt>Committed</dt>
        <dd>{formatTime(e.committedAt)}</dd>
        {Object.entries(e.header)
          .filter(([k]) => k.endsWith('_root') || k === 'prev_hash')
          .map(([k, v]) => (
            <div key={k} style={{ display: 'contents' }}>
              <dt>{k.replace(/_/g, ' ')}</dt>
              <dd className="mono">{String(v)}</dd>
            </div>
          ))}
        <dt>Anchor</dt>
        <dd>{e.anchor ? `${e.anchor.status}${e.anchor.txId ? ` — tx ${e.anchor.txId}` : ''}` : 'not anchored'}</dd>
        <dt>Minted</dt>
        <dd>{formatRtc(e.mintedI64)} RTC</dd>
      </dl>
      <h3>Rewards</h3>
      {e.rewards.length === 0 ? (
        <p className="dim">No rewards in this epoch.</p>
      ) : (
        <table data-testid="epoch-rewards">
          <thead>
            <tr>
              <th scope="col">Miner</th>
              <th scope="col">Reward (RTC)</th>
            </tr>
          </thead>
          <tbody>
            {e.rewards.map((r) => (
              <tr key={r.miner}>
                <td>
                  <Link go={go} to={{ kind: 'miner', id: r.miner }}>
                    {r.miner}
                  </Link>
                </td>
                <td className="num">{formatRtc(r.shareI64)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Attestations</h3>
      {e.attestations.length === 0 ? (
        <p className="dim">No attestations in this epoch.</p>
      ) : (
        <ul className="stack">
          {e.attestations.map((a, i) => (
            <li key={`${a.miner}-${i}`}>
              <Link go={go} to={{ kind: 'miner', id: a.miner }}>
                {a.miner}
              </Link>{' '}
              <span className="dim">
                {a.family ?? '?'} / {a.arch ?? '?'}
              </span>
            </li>
          ))}
        </ul>
      )}
      <h3>Transfers</h3>
      {e.transfers.length === 0 ? (
        <p className="dim">No transfers in this epoch.</p>
      ) : (
        <table data-testid="epoch-transfers">
          <thead>
            <tr>
              <th scope="col">Transaction</th>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col">Amount (RTC)</th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            {e.transfers.map((t, i) => (
              <tr key={t.txHash ?? i}>
                <td>
                  {t.txHash ? (
                    <Link go={go} to={{ kind: 'transaction', id: t.txHash.slice(0, 32) }}>
                      {t.txHash.slice(0, 12)}…
                    </Link>
                  ) : (
                    '—'
                  )}
                </td>
                <td>
                  <Link go={go} to={{ kind: 'address', id: t.from }}>
                    {shortAddress(t.from)}
                  </Link>
                </td>
                <td>
                  <Link go={go} to={{ kind: 'address', id: t.to }}>
                    {shortAddress(t.to)}
                  </Link>
                </td>
                <td className="num">{t.amountRtc ?? '—'}</td>
                <td>{t.memo ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function TxDetail({ hash, go }: { hash: string; go: (v: ExplorerView) => void }) {
  const { data: t, error } = useLoad<ExplorerTx>(() => api?.call('explorer.tx', { hash }), `tx-${hash}`);
  if (!t) return <Loading error={error} />;
  return (
    <section className="card" data-testid="tx-detail" aria-label="Transaction">
      <h2>Transaction</h2>
      <dl className="review">
        <dt>Hash</dt>
        <dd className="mono">{t.txHash}</dd>
        <dt>Status</dt>
        <dd data-testid="tx-status">{t.status}</dd>
        <dt>Epoch</dt>
        <dd>
          {t.epoch !== null ? (
            <Link go={go} to={{ kind: 'epoch', id: String(t.epoch) }}>
              {t.epoch}
            </Link>
          ) : (
            'not yet settled'
          )}
        </dd>
        <dt>From</dt>
        <dd>
          {t.from ? (
            <Link go={go} to={{ kind: 'address', id: t.from }}>
              {t.from}
            </Link>
          ) : (
            '—'
          )}
        </dd>
        <dt>To</dt>
        <dd>
          {t.to ? (
            <Link go={go} to={{ kind: 'address', id: t.to }}>
              {t.to}
            </Link>
          ) : (
            '—'
          )}
        </dd>
        <dt>Amount</dt>
        <dd>{t.amountRtc !== null ? `${t.amountRtc} RTC` : '—'}</dd>
        {t.voidReason ? (
          <>
            <dt>Why it failed</dt>
            <dd>{t.voidReason}</dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}

function AddressDetail({ address, go }: { address: string; go: (v: ExplorerView) => void }) {
  const { data: a, error } = useLoad<ExplorerAddress>(
    () => api?.call('explorer.address', { address }),
    `addr-${address}`,
  );
  if (!a) return <Loading error={error} />;
  return (
    <section className="card" data-testid="address-detail" aria-label="Address">
      <h2>Address</h2>
      <p className="mono">{a.address}</p>
      <p>
        Balance: <strong data-testid="address-balance">{formatRtc(a.amountI64)} RTC</strong>
      </p>
      {a.pending.length > 0 ? <p className="dim">{a.pending.length} pending transfer(s)</p> : null}
      <table>
        <thead>
          <tr>
            <th scope="col">Epoch</th>
            <th scope="col">Reason</th>
            <th scope="col">Counterparty</th>
            <th scope="col">Change (RTC)</th>
          </tr>
        </thead>
        <tbody>
          {a.ledger.map((l) => (
            <tr key={l.seq}>
              <td>
                {l.epoch !== null ? (
                  <Link go={go} to={{ kind: 'epoch', id: String(l.epoch) }}>
                    {l.epoch}
                  </Link>
                ) : (
                  '—'
                )}
              </td>
              <td>
                {l.txHash ? (
                  <Link go={go} to={{ kind: 'transaction', id: l.txHash.slice(0, 32) }}>
                    {l.reason?.split(':')[0] ?? 'transfer'}
                  </Link>
                ) : (
                  (l.reason?.split(':')[0] ?? '—')
                )}
              </td>
              <td className="mono">{l.counterparty ? shortAddress(l.counterparty) : '—'}</td>
              <td className="num">{formatRtc(l.deltaI64, { sign: true })}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function MinerDetail({ miner, go }: { miner: string; go: (v: ExplorerView) => void }) {
  const { data: m, error } = useLoad<ExplorerMiner>(() => api?.call('explorer.miner', { miner }), `miner-${miner}`);
  if (!m) return <Loading error={error} />;
  return (
    <section className="card" data-testid="miner-detail" aria-label="Miner">
      <h2>Miner</h2>
      <p className="mono">{m.miner}</p>
      <dl className="review">
        <dt>Hardware</dt>
        <dd>{m.hardwareType ?? `${m.family ?? '?'} / ${m.arch ?? '?'}`}</dd>
        <dt>Fingerprint</dt>
        <dd>{m.fingerprintPassed ? 'passed' : 'failed (weight 0)'}</dd>
        <dt>Weight</dt>
        <dd>{m.weight ?? '—'}</dd>
        <dt>Balance</dt>
        <dd>{m.balanceI64 ? `${formatRtc(m.balanceI64)} RTC` : '—'}</dd>
      </dl>
      <h3>Rewards</h3>
      <ul className="stack" data-testid="miner-rewards">
        {(m.rewards ?? []).map((r) => (
          <li key={r.epoch}>
            <Link go={go} to={{ kind: 'epoch', id: String(r.epoch) }}>
              Epoch {r.epoch}
            </Link>{' '}
            — {formatRtc(r.shareI64)} RTC
          </li>
        ))}
      </ul>
    </section>
  );
}
