import { useState } from 'react';
import { PasswordStrength } from '../../components/PasswordStrength.js';
import { isAcceptablePassword } from '../../password-strength.js';

/** Password with a strength meter and the no-recovery warning; calls `onSubmit` with an accepted password. */
export function PasswordStep(props: {
  busy: boolean;
  error: string | null;
  submitLabel: string;
  onSubmit: (password: string) => void;
}) {
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [understood, setUnderstood] = useState(false);
  const mismatch = confirm.length > 0 && confirm !== password;
  const weak = password.length > 0 && !isAcceptablePassword(password);
  const canSubmit = isAcceptablePassword(password) && password === confirm && understood && !props.busy;
  return (
    <form
      className="card stack"
      onSubmit={(e) => {
        e.preventDefault();
        if (canSubmit) props.onSubmit(password);
      }}
    >
      <h2>Choose a password</h2>
      <p className="dim">The password encrypts this wallet on this computer. You will need it to unlock and to send.</p>
      <label className="field">
        <span className="field-label">Password</span>
        <input
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          aria-invalid={weak}
        />
      </label>
      <PasswordStrength password={password} />
      {weak ? <span className="field-error">Use at least 8 characters and aim for “Fair” or better.</span> : null}
      <label className="field">
        <span className="field-label">Repeat password</span>
        <input
          type="password"
          autoComplete="new-password"
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
          aria-invalid={mismatch}
        />
      </label>
      {mismatch ? <span className="field-error">The passwords do not match.</span> : null}
      <div className="callout danger" role="note">
        <span>
          <strong>There is no password recovery.</strong> Nobody — not us, not the network — can reset it. If you forget
          it, only your recovery phrase can restore the wallet.
        </span>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={understood} onChange={(e) => setUnderstood(e.target.checked)} />
        <span>I understand that a lost password cannot be recovered.</span>
      </label>
      {props.error ? (
        <div className="field-error" role="alert">
          {props.error}
        </div>
      ) : null}
      <div className="row end">
        <button className="btn primary" type="submit" disabled={!canSubmit}>
          {props.busy ? 'Encrypting…' : props.submitLabel}
        </button>
      </div>
    </form>
  );
}
