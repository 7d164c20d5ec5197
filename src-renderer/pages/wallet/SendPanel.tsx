import { useState } from 'react';
import type { SendPreview } from '../../../src-main/app/contract.js';
import { api, ApiError, errorMessage } from '../../api/index.js';
import { Dialog } from '../../components/Dialog.js';
import { formatRtc, parseRtcInput } from '../../format.js';
import { useUiStore } from '../../stores/ui-store.js';
import { useWalletStore } from '../../stores/wallet-store.js';

const ADDRESS = /^RTC[0-9A-Fa-f]{40}$/;

/** Send: a form, then a review dialog with exactly what will be signed, confirmed with the password. */
export function SendPanel() {
  const balance = useWalletStore((s) => s.balance);
  const upsertTransfer = useWalletStore((s) => s.upsertTransfer);
  const toast = useUiStore((s) => s.toast);
  // A payment link (rustchain:…) opened by the OS pre-fills the form; the user still reviews and signs.
  const [draft] = useState(() => useUiStore.getState().takeSendDraft());
  const [to, setTo] = useState(draft?.to ?? '');
  const [amount, setAmount] = useState(draft?.amount ?? '');
  const [memo, setMemo] = useState(draft?.memo ?? '');
  const [touched, setTouched] = useState(false);
  const [preview, setPreview] = useState<SendPreview | null>(null);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [dialogError, setDialogError] = useState<string | null>(null);

  const toError = to.trim() && !ADDRESS.test(to.trim()) ? 'An address is RTC followed by 40 hexadecimal digits.' : null;
  const parsed = amount.trim() ? parseRtcInput(amount) : null;
  let amountError = parsed && !parsed.ok ? parsed.message : null;
  if (parsed?.ok && balance && parsed.urtc > BigInt(balance.availableI64))
    amountError = 'More than your available balance.';
  const memoError = [...memo].length > 1024 ? 'A memo has at most 1024 characters.' : null;
  const ready = to.trim() !== '' && parsed?.ok === true && !toError && !amountError && !memoError;

  const review = () => {
    setTouched(true);
    if (!ready) return;
    setBusy(true);
    setError(null);
    api
      ?.call('wallet.prepareSend', { to: to.trim(), amount: amount.trim(), memo })
      .then((p) => {
        setPreview(p);
        setPassword('');
        setDialogError(null);
      })
      .catch((e: unknown) => setError(errorMessage(e)))
      .finally(() => setBusy(false));
  };

  const confirm = () => {
    if (!preview || !password) return;
    setBusy(true);
    setDialogError(null);
    api
      ?.call('wallet.confirmSend', { draftId: preview.draftId, password })
      .then((r) => {
        upsertTransfer({
          txHash: r.txHash,
          from: preview.from,
          to: preview.to,
          amountI64: preview.amountI64,
          status: r.status,
          epoch: null,
          voidReason: null,
        });
        toast('success', `Sent ${formatRtc(preview.amountI64)} RTC — pending until the epoch settles`);
        setPreview(null);
        setTo('');
        setAmount('');
        setMemo('');
        setTouched(false);
      })
      .catch((e: unknown) => {
        if (e instanceof ApiError && e.code === 'wrong_password') setDialogError('Wrong password.');
        else {
          setPreview(null);
          setError(errorMessage(e));
        }
      })
      .finally(() => {
        setBusy(false);
        setPassword('');
      });
  };

  return (
    <section className="card stack" aria-label="Send">
      <h2>Send RTC</h2>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          review();
        }}
      >
        <label className="field">
          <span className="field-label">Recipient address</span>
          <input
            type="text"
            className="mono"
            placeholder="RTC…"
            spellCheck={false}
            autoComplete="off"
            value={to}
            data-testid="send-to"
            onChange={(e) => setTo(e.target.value)}
            aria-invalid={Boolean(toError)}
          />
          {toError ? <span className="field-error">{toError}</span> : null}
        </label>
        <label className="field">
          <span className="field-label">Amount (RTC)</span>
          <div className="row">
            <input
              type="text"
              inputMode="decimal"
              placeholder="0.0"
              value={amount}
              data-testid="send-amount"
              onChange={(e) => setAmount(e.target.value)}
              aria-invalid={Boolean(amountError)}
            />
            <button
              type="button"
              className="btn"
              disabled={!balance || BigInt(balance.availableI64) <= 0n}
              onClick={() => balance && setAmount(formatRtc(balance.availableI64).replace(/,/g, ''))}
            >
              Max
            </button>
          </div>
          {amountError ? (
            <span className="field-error">{amountError}</span>
          ) : (
            <span className="field-hint">
              Available: {balance ? formatRtc(balance.availableI64) : '—'} RTC · no fee
            </span>
          )}
        </label>
        <label className="field">
          <span className="field-label">Memo (optional, public)</span>
          <input
            type="text"
            value={memo}
            onChange={(e) => setMemo(e.target.value)}
            maxLength={1024}
            data-testid="send-memo"
          />
          {memoError ? <span className="field-error">{memoError}</span> : null}
        </label>
        {error ? (
          <div className="field-error" role="alert">
            {error}
          </div>
        ) : null}
        {touched && !ready && !toError && !amountError ? (
          <span className="field-error">Fill in the recipient and the amount.</span>
        ) : null}
        <div className="row end">
          <button type="submit" className="btn primary" disabled={busy}>
            Review
          </button>
        </div>
      </form>
      {preview ? (
        <Dialog title="Review and sign" onClose={() => !busy && setPreview(null)}>
          <dl className="review" data-testid="send-review">
            <dt>From</dt>
            <dd className="mono">{preview.from}</dd>
            <dt>To</dt>
            <dd className="mono">{preview.to}</dd>
            <dt>Amount</dt>
            <dd>
              <strong>{formatRtc(preview.amountI64)} RTC</strong>
            </dd>
            <dt>Fee</dt>
            <dd>0 RTC</dd>
            <dt>Memo</dt>
            <dd>{preview.memo || <span className="faint">none</span>}</dd>
            <dt>Network</dt>
            <dd className="mono">{preview.chainId}</dd>
            <dt>Nonce</dt>
            <dd className="mono">
              {preview.nonce} <span className="faint">(fixed when you sign; never lower)</span>
            </dd>
            <dt>Left after</dt>
            <dd>{formatRtc(preview.availableAfterI64)} RTC available</dd>
          </dl>
          <div className="stack" style={{ gap: 6 }}>
            <span className="field-label">Exact message to be signed</span>
            <pre className="message" data-testid="send-message">
              {preview.message}
            </pre>
          </div>
          <form
            className="stack"
            onSubmit={(e) => {
              e.preventDefault();
              confirm();
            }}
          >
            <label className="field">
              <span className="field-label">Wallet password</span>
              <input
                type="password"
                autoComplete="current-password"
                value={password}
                data-testid="send-password"
                onChange={(e) => setPassword(e.target.value)}
                aria-invalid={Boolean(dialogError)}
              />
            </label>
            {dialogError ? (
              <div className="field-error" role="alert">
                {dialogError}
              </div>
            ) : null}
            <div className="callout info">Transfers cannot be reversed. Check the recipient carefully.</div>
            <div className="row end">
              <button type="button" className="btn ghost" disabled={busy} onClick={() => setPreview(null)}>
                Cancel
              </button>
              <button type="submit" className="btn primary" disabled={busy || !password}>
                {busy ? 'Signing…' : 'Sign and send'}
              </button>
            </div>
          </form>
        </Dialog>
      ) : null}
    </section>
  );
}
