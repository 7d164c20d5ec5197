import { useCallback, useEffect, useState } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { MinerDetails } from '../../../src-main/app/contract.js';
import { api, errorMessage } from '../../api/index.js';
import { Dialog } from '../../components/Dialog.js';
import { formatRtc, formatTime, urtcToNumber } from '../../format.js';
import { useMinerStore } from '../../stores/miner-store.js';
import { useWalletStore } from '../../stores/wallet-store.js';
import { CHECK_HELP, explainWeight, formatWeight, statusLine } from './describe.js';

function useNow(): number {
  const [now, setNow] = useState(() => Date.now() / 1000);
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now() / 1000), 1000);
    return () => clearInterval(t);
  }, []);
  return now;
}

export function MiningPage() {
  const status = useMinerStore((s) => s.status);
  const wallet = useWalletStore((s) => s.state);
  const now = useNow();
  const [identity, setIdentity] = useState<'miner_key' | 'wallet'>('miner_key');
  const [duty, setDuty] = useState(50);
  const [target, setTarget] = useState<'embedded' | 'remote'>('embedded');
  const [remoteUrl, setRemoteUrl] = useState('');
  const [asking, setAsking] = useState(false);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [details, setDetails] = useState<MinerDetails | null>(null);

  const running = status !== null && status.state !== 'stopped' && status.state !== 'unavailable';
  const refresh = useCallback(() => {
    void api
      ?.call('miner.details', {})
      .then(setDetails)
      .catch(() => undefined);
  }, []);
  // Refresh the panels when the miner reports something new (an attestation, enrolment or failure).
  useEffect(refresh, [refresh, status?.lastAttestedAt, status?.enrolledEpoch, status?.message, status?.state]);

  async function start(pw?: string) {
    setError(null);
    try {
      await api?.call('miner.start', {
        identity,
        password: pw,
        duty: duty / 100,
        node: target === 'embedded' ? 'embedded' : remoteUrl.trim(),
      });
      setAsking(false);
      setPassword('');
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  const failures = (details?.attempts ?? []).filter((a) => a.outcome !== 'accepted').slice(0, 8);
  const chart = (details?.rewards ?? []).map((r) => ({ epoch: r.epoch, rtc: urtcToNumber(r.shareI64) }));

  return (
    <div className="page" data-testid="mining-page">
      <div className="page-header">
        <h1>Mining</h1>
      </div>

      <section className="card" aria-label="Miner controls">
        <p data-testid="miner-status-line" data-state={status?.state ?? 'stopped'}>
          {status ? statusLine(status, now) : 'Loading…'}
        </p>
        {status?.address ? (
          <p className="dim">
            Earning address: <span className="mono">{status.address}</span>
          </p>
        ) : null}
        <div className="grid-2">
          <fieldset className="field" disabled={running}>
            <legend className="field-label">Mine for</legend>
            <label className="checkbox">
              <input
                type="radio"
                name="identity"
                checked={identity === 'miner_key'}
                onChange={() => setIdentity('miner_key')}
              />
              This computer&apos;s miner key
            </label>
            <label className="checkbox">
              <input
                type="radio"
                name="identity"
                checked={identity === 'wallet'}
                disabled={!wallet?.active}
                onChange={() => setIdentity('wallet')}
              />
              My wallet {wallet?.active ? <span className="mono dim">({wallet.active.slice(0, 10)}…)</span> : null}
            </label>
          </fieldset>
          <fieldset className="field" disabled={running}>
            <legend className="field-label">Node</legend>
            <label className="checkbox">
              <input
                type="radio"
                name="target"
                checked={target === 'embedded'}
                onChange={() => setTarget('embedded')}
              />
              The app&apos;s own node
            </label>
            <label className="checkbox">
              <input type="radio" name="target" checked={target === 'remote'} onChange={() => setTarget('remote')} />A
              remote node
            </label>
            {target === 'remote' ? (
              <input
                type="url"
                aria-label="Remote node URL"
                placeholder="https://node.example:8099"
                value={remoteUrl}
                onChange={(e) => setRemoteUrl(e.target.value)}
              />
            ) : null}
          </fieldset>
        </div>
        <label className="field">
          <span className="field-label">CPU budget while measuring: {duty}% of one core</span>
          <input
            type="range"
            min={5}
            max={100}
            step={5}
            value={duty}
            disabled={running}
            onChange={(e) => setDuty(Number(e.target.value))}
          />
        </label>
        <div className="row">
          {running ? (
            <button className="btn" onClick={() => void api?.call('miner.stop', {})}>
              Stop mining
            </button>
          ) : (
            <button
              className="btn primary"
              onClick={() => (identity === 'wallet' ? setAsking(true) : void start())}
              disabled={target === 'remote' && remoteUrl.trim() === ''}
            >
              Start mining
            </button>
          )}
        </div>
        {error && !asking ? (
          <p role="alert" className="field-error">
            {error}
          </p>
        ) : null}
      </section>

      <div className="grid-2">
        <section className="card" aria-label="Fingerprint checks">
          <div className="card-title">
            <h2>Fingerprint</h2>
            <span className="faint">
              {details?.checksAt ? formatTime(details.checksAt / 1000) : 'not measured yet'}
            </span>
          </div>
          {details && details.checks.length > 0 ? (
            <ul className="stack" data-testid="fingerprint-checks">
              {details.checks.map((c) => (
                <li key={c.name} data-check={c.name} data-passed={c.passed}>
                  <strong>
                    {c.passed ? '✓' : '✗'} {CHECK_HELP[c.name]?.label ?? c.name}
                  </strong>{' '}
                  <span className={`badge ${c.passed ? 'success' : 'danger'}`}>{c.passed ? 'pass' : 'fail'}</span>
                  <div className="mono faint" style={{ fontSize: 12, overflowWrap: 'anywhere' }}>
                    {c.data.length > 240 ? `${c.data.slice(0, 240)}…` : c.data}
                  </div>
                  {!c.passed && CHECK_HELP[c.name] ? <div className="dim">{CHECK_HELP[c.name]?.failed}</div> : null}
                </li>
              ))}
            </ul>
          ) : (
            <div className="empty">The six checks appear after the first measurement.</div>
          )}
        </section>
        <section className="card" aria-label="Reward multiplier">
          <h2>Multiplier</h2>
          <p data-testid="miner-weight">
            Weight:{' '}
            <strong>
              {status?.enrolledWeight !== null && status?.enrolledWeight !== undefined
                ? formatWeight(status.enrolledWeight)
                : status?.lastWeight !== null && status?.lastWeight !== undefined
                  ? formatWeight(status.lastWeight)
                  : '—'}
            </strong>
          </p>
          <p className="dim" data-testid="miner-weight-why">
            {status ? explainWeight(status) : ''}
          </p>
          {status?.fidelity === 'fallback' ? (
            <p className="faint">Measured with the built-in fallback (the native module did not load).</p>
          ) : null}
        </section>
      </div>

      <section className="card" aria-label="Rewards per epoch">
        <div className="card-title">
          <h2>Rewards</h2>
          <span data-testid="miner-total-earned">Total earned: {formatRtc(details?.totalEarnedI64 ?? '0')} RTC</span>
        </div>
        {chart.length === 0 ? (
          <div className="empty">No rewards yet.</div>
        ) : (
          <div className="chart" role="img" aria-label={`Rewards over ${chart.length} epochs`}>
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={chart} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
                <CartesianGrid stroke="#28303b" vertical={false} />
                <XAxis dataKey="epoch" stroke="#8691a1" tickLine={false} fontSize={12} />
                <YAxis stroke="#8691a1" tickLine={false} fontSize={12} width={80} />
                <Tooltip
                  contentStyle={{ background: '#151a21', border: '1px solid #3a4452', borderRadius: 8 }}
                  labelFormatter={(e) => `Epoch ${String(e)}`}
                />
                <Bar dataKey="rtc" fill="#f0883e" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
        )}
      </section>

      <div className="grid-2">
        <section className="card" aria-label="Attestation history">
          <h2>Attestations</h2>
          {details && details.attempts.length > 0 ? (
            <table data-testid="attestation-history">
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Epoch</th>
                  <th scope="col">Result</th>
                  <th scope="col">Weight</th>
                </tr>
              </thead>
              <tbody>
                {details.attempts.slice(0, 20).map((a) => (
                  <tr key={a.id} data-outcome={a.outcome}>
                    <td className="dim">{formatTime(a.at / 1000)}</td>
                    <td className="mono">{a.epoch ?? '—'}</td>
                    <td>{a.outcome === 'accepted' ? 'Accepted' : `${a.outcome} at ${a.stage}`}</td>
                    <td className="mono">
                      {a.enrolledWeight !== null
                        ? formatWeight(a.enrolledWeight)
                        : a.weight !== null
                          ? formatWeight(a.weight)
                          : '—'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <div className="empty">No attestations yet.</div>
          )}
        </section>
        <section className="card" aria-label="Miner health">
          <h2>Health</h2>
          {failures.length === 0 ? (
            <div className="empty">No recent failures.</div>
          ) : (
            <ul className="stack" data-testid="miner-failures">
              {failures.map((f) => (
                <li key={f.id}>
                  <span className="dim">{formatTime(f.at / 1000)}</span> — {f.stage}: {f.message ?? f.outcome}
                  {f.code ? <span className="mono faint"> ({f.code})</span> : null}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>

      {asking ? (
        <Dialog title="Unlock the wallet for mining" onClose={() => setAsking(false)}>
          <p className="dim">The key is decrypted on this computer for the miner and never shown or sent anywhere.</p>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void start(password);
            }}
          >
            <label className="field">
              <span className="field-label">Wallet password</span>
              <input
                type="password"
                data-testid="miner-password"
                value={password}
                autoComplete="current-password"
                onChange={(e) => setPassword(e.target.value)}
              />
            </label>
            {error ? (
              <p role="alert" className="field-error">
                {error}
              </p>
            ) : null}
            <div className="row end">
              <button type="button" className="btn" onClick={() => setAsking(false)}>
                Cancel
              </button>
              <button type="submit" className="btn primary">
                Start mining
              </button>
            </div>
          </form>
        </Dialog>
      ) : null}
    </div>
  );
}
