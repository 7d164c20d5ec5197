import { useEffect, useState } from 'react';
import type { Settings } from '../../src-main/app/contract.js';
import { api, errorMessage } from '../api/index.js';
import { shortAddress } from '../format.js';
import { useUiStore } from '../stores/ui-store.js';
import { useWalletStore } from '../stores/wallet-store.js';

const AUTO_LOCK_CHOICES = [1, 5, 15, 30, 60, 0];

export function SettingsPage(props: { onAddWallet: () => void }) {
  const walletState = useWalletStore((s) => s.state);
  const toast = useUiStore((s) => s.toast);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [remoteUrl, setRemoteUrl] = useState('');
  const [dataDir, setDataDir] = useState('');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api
      ?.call('settings.get', {})
      .then((s) => {
        setSettings(s);
        setRemoteUrl(s.remoteNodeUrl ?? '');
        setDataDir(s.dataDir);
      })
      .catch((e: unknown) => setError(errorMessage(e)));
  }, []);

  const update = (patch: Partial<Settings>, message: string) => {
    setError(null);
    api
      ?.call('settings.update', patch)
      .then((s) => {
        setSettings(s);
        toast('success', message);
      })
      .catch((e: unknown) => setError(errorMessage(e)));
  };

  return (
    <div className="page" data-testid="settings-page">
      <div className="page-header">
        <h1>Settings</h1>
      </div>
      {error ? (
        <div className="callout danger" role="alert">
          {error}
        </div>
      ) : null}

      <section className="card stack" aria-labelledby="security-title">
        <h2 id="security-title">Security</h2>
        <div className="row">
          <div className="stack" style={{ gap: 2, flex: 1 }}>
            <strong>Lock now</strong>
            <span className="dim">Requires the password to use the wallet again.</span>
          </div>
          <button
            className="btn"
            data-testid="lock-now"
            disabled={!walletState || walletState.locked || walletState.accounts.length === 0}
            onClick={() => void api?.call('wallet.lock', {}).then(() => toast('info', 'Wallet locked'))}
          >
            Lock now
          </button>
        </div>
        <label className="field" style={{ maxWidth: 320 }}>
          <span className="field-label">Lock automatically after inactivity</span>
          <select
            value={settings?.autoLockMinutes ?? 15}
            disabled={!settings}
            onChange={(e) => update({ autoLockMinutes: Number(e.target.value) }, 'Auto-lock updated')}
          >
            {AUTO_LOCK_CHOICES.map((m) => (
              <option key={m} value={m}>
                {m === 0 ? 'Never' : `${m} minute${m === 1 ? '' : 's'}`}
              </option>
            ))}
          </select>
        </label>
      </section>

      <section className="card stack" aria-labelledby="node-title">
        <h2 id="node-title">Node</h2>
        <div className="stack" role="radiogroup" aria-label="Node connection">
          <label className="checkbox">
            <input
              type="radio"
              name="node-mode"
              checked={settings?.nodeMode === 'embedded'}
              onChange={() => update({ nodeMode: 'embedded' }, 'Using the embedded node')}
            />
            <span>
              <strong>Embedded node</strong>
              <br />
              <span className="dim">Run a full node inside the app (recommended).</span>
            </span>
          </label>
          <label className="checkbox">
            <input
              type="radio"
              name="node-mode"
              checked={settings?.nodeMode === 'remote'}
              disabled={!settings?.remoteNodeUrl && !remoteUrl}
              onChange={() => update({ nodeMode: 'remote', remoteNodeUrl: remoteUrl || null }, 'Using the remote node')}
            />
            <span>
              <strong>Remote node</strong>
              <br />
              <span className="dim">Connect to a node you trust, e.g. http://127.0.0.1:8099.</span>
            </span>
          </label>
        </div>
        <label className="field">
          <span className="field-label">Remote node URL</span>
          <div className="row">
            <input
              type="url"
              value={remoteUrl}
              placeholder="https://node.example:8099"
              onChange={(e) => setRemoteUrl(e.target.value)}
            />
            <button
              className="btn"
              disabled={!remoteUrl}
              onClick={() => update({ remoteNodeUrl: remoteUrl, nodeMode: 'remote' }, 'Remote node saved')}
            >
              Use
            </button>
          </div>
        </label>
      </section>

      <section className="card stack" aria-labelledby="data-title">
        <h2 id="data-title">Data folder</h2>
        <label className="field">
          <span className="field-label">Keystores, the node database and settings are stored here</span>
          <div className="row">
            <input type="text" className="mono" value={dataDir} onChange={(e) => setDataDir(e.target.value)} />
            <button
              className="btn"
              disabled={!settings || dataDir === settings.dataDir || !dataDir}
              onClick={() => update({ dataDir }, 'Data folder saved — takes effect after a restart')}
            >
              Save
            </button>
          </div>
          <span className="field-hint">A new folder takes effect after a restart. Move your keystores yourself.</span>
        </label>
      </section>

      <section className="card stack" aria-labelledby="accounts-title">
        <h2 id="accounts-title">Wallets</h2>
        {walletState?.accounts.map((a) => (
          <div className="row" key={a.address}>
            <span className="mono" title={a.address}>
              {shortAddress(a.address)}
            </span>
            <span className="faint">{a.derivation ?? ''}</span>
            <span style={{ flex: 1 }} />
            {walletState.active === a.address ? (
              <span className="badge confirmed">Active</span>
            ) : (
              <button className="btn small" onClick={() => void api?.call('wallet.select', { address: a.address })}>
                Switch
              </button>
            )}
          </div>
        ))}
        <div>
          <button className="btn" onClick={props.onAddWallet}>
            Add or restore another wallet
          </button>
        </div>
      </section>
    </div>
  );
}
