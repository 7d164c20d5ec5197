import { useState } from 'react';
import { api, ApiError, errorMessage } from '../api/index.js';
import { shortAddress } from '../format.js';
import { useWalletStore } from '../stores/wallet-store.js';

export function UnlockScreen() {
  const state = useWalletStore((s) => s.state);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const unlock = () => {
    setBusy(true);
    setError(null);
    api
      ?.call('wallet.unlock', { password })
      .catch((e: unknown) =>
        setError(e instanceof ApiError && e.code === 'wrong_password' ? 'Wrong password. Try again.' : errorMessage(e)),
      )
      .finally(() => {
        setBusy(false);
        setPassword('');
      });
  };
  return (
    <form
      className="center-panel card"
      data-testid="unlock-screen"
      onSubmit={(e) => {
        e.preventDefault();
        if (password) unlock();
      }}
    >
      <h1>Wallet locked</h1>
      {state?.active ? <p className="dim mono">{shortAddress(state.active)}</p> : null}
      <label className="field">
        <span className="field-label">Password</span>
        <input
          type="password"
          autoComplete="current-password"
          autoFocus
          value={password}
          data-testid="unlock-password"
          onChange={(e) => setPassword(e.target.value)}
          aria-invalid={Boolean(error)}
        />
      </label>
      {error ? (
        <div className="field-error" role="alert" data-testid="unlock-error">
          {error}
        </div>
      ) : null}
      <button className="btn primary" type="submit" disabled={busy || !password}>
        {busy ? 'Unlocking…' : 'Unlock'}
      </button>
    </form>
  );
}
