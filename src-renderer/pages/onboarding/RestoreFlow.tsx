import { useMemo, useState } from 'react';
import type { DerivationRule, RestoreCandidate } from '../../../src-main/app/contract.js';
import { api, errorMessage } from '../../api/index.js';
import { formatRtc } from '../../format.js';
import { PasswordStep } from './PasswordStep.js';
import { isBip39Word, normaliseMnemonic, suggestWords, VALID_WORD_COUNTS } from './word-check.js';

const RULE_NAMES: Record<DerivationRule, { title: string; detail: string }> = {
  lightclient_sha256: { title: 'RustChain Desktop / light client', detail: 'Default for new wallets' },
  cli_slip10_master: { title: 'Reference wallet CLI', detail: 'SLIP-0010 master key' },
  mobile_sha256_path: { title: 'Mobile wallet', detail: "Path m/44'/0'/0'/0'/0'" },
};

type Step = 'phrase' | 'derivation' | 'password';

/** Restore: paste the phrase (each word checked, with suggestions), choose the derivation by balance, set a password. */
export function RestoreFlow(props: { onDone: (address: string) => void; onBack: () => void }) {
  const [text, setText] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [showAdvanced, setShowAdvanced] = useState(false);
  const [step, setStep] = useState<Step>('phrase');
  const [candidates, setCandidates] = useState<RestoreCandidate[]>([]);
  const [nodeUnreachable, setNodeUnreachable] = useState(false);
  const [rule, setRule] = useState<DerivationRule | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const words = useMemo(() => (normaliseMnemonic(text) ? normaliseMnemonic(text).split(' ') : []), [text]);
  const badWords = words.map((w, i) => ({ w, i })).filter(({ w }) => !isBip39Word(w));
  const countOk = VALID_WORD_COUNTS.includes(words.length);

  const findAccounts = () => {
    setBusy(true);
    setError(null);
    api
      ?.call('wallet.restoreCandidates', { mnemonic: text, passphrase })
      .then((r) => {
        setCandidates(r.candidates);
        setNodeUnreachable(r.nodeUnreachable);
        setRule(r.preselected);
        setStep('derivation');
      })
      .catch((e: unknown) => setError(errorMessage(e)))
      .finally(() => setBusy(false));
  };

  if (step === 'phrase') {
    return (
      <form
        className="card stack"
        onSubmit={(e) => {
          e.preventDefault();
          if (countOk && badWords.length === 0) findAccounts();
        }}
      >
        <h2>Restore from a recovery phrase</h2>
        <label className="field">
          <span className="field-label">Recovery phrase (12, 15, 18, 21 or 24 words)</span>
          <textarea
            value={text}
            onChange={(e) => setText(e.target.value)}
            spellCheck={false}
            autoComplete="off"
            data-testid="restore-phrase"
            aria-invalid={badWords.length > 0}
            aria-describedby="phrase-check"
          />
        </label>
        <div id="phrase-check" className="stack" style={{ gap: 8 }}>
          <span className="field-hint">
            {words.length} word{words.length === 1 ? '' : 's'}
            {words.length > 0 && !countOk ? ' — a phrase has 12, 15, 18, 21 or 24 words' : ''}
          </span>
          {words.length > 0 ? (
            <div className="word-chips" aria-label="Word check">
              {words.map((w, i) => (
                <span key={i} className={`chip ${isBip39Word(w) ? 'ok' : 'bad'}`}>
                  {i + 1}. {w}
                </span>
              ))}
            </div>
          ) : null}
          {badWords.map(({ w, i }) => {
            const suggestions = suggestWords(w);
            return (
              <span key={i} className="suggest" role="alert">
                Word {i + 1} “{w}” is not in the word list.
                {suggestions.length > 0 ? ` Did you mean: ${suggestions.join(', ')}?` : ''}
              </span>
            );
          })}
        </div>
        <button
          type="button"
          className="btn ghost small"
          onClick={() => setShowAdvanced(!showAdvanced)}
          aria-expanded={showAdvanced}
        >
          {showAdvanced ? 'Hide' : 'Show'} advanced options
        </button>
        {showAdvanced ? (
          <label className="field">
            <span className="field-label">BIP39 passphrase (optional)</span>
            <input
              type="password"
              value={passphrase}
              onChange={(e) => setPassphrase(e.target.value)}
              autoComplete="off"
            />
            <span className="field-hint">
              Only RustChain Desktop supports a passphrase; the reference light client and CLI always use none.
            </span>
          </label>
        ) : null}
        {error ? (
          <div className="field-error" role="alert">
            {error}
          </div>
        ) : null}
        <div className="row end">
          <button type="button" className="btn ghost" onClick={props.onBack}>
            Cancel
          </button>
          <button type="submit" className="btn primary" disabled={!countOk || badWords.length > 0 || busy}>
            {busy ? 'Looking up accounts…' : 'Continue'}
          </button>
        </div>
      </form>
    );
  }

  if (step === 'derivation') {
    return (
      <div className="card stack">
        <h2>Choose the account</h2>
        <p className="dim">
          Wallets derive keys from the same words in different ways. Pick the one that holds your funds.
        </p>
        {nodeUnreachable ? (
          <div className="callout warn">The node could not be reached, so balances are unknown.</div>
        ) : null}
        <div className="stack" role="radiogroup" aria-label="Derivation">
          {candidates.map((c) => (
            <button
              key={c.rule}
              className="choice"
              role="radio"
              aria-checked={rule === c.rule}
              data-testid={`candidate-${c.rule}`}
              onClick={() => setRule(c.rule)}
            >
              <div className="row">
                <strong>{RULE_NAMES[c.rule].title}</strong>
                <span className="faint">{RULE_NAMES[c.rule].detail}</span>
                <span style={{ marginLeft: 'auto' }} className={c.active ? 'badge confirmed' : 'badge neutral'}>
                  {c.active ? 'Active' : 'Unused'}
                </span>
              </div>
              <span className="mono dim">{c.address}</span>
              <span>
                Balance <strong className="mono">{formatRtc(c.amountI64)} RTC</strong>
              </span>
            </button>
          ))}
        </div>
        <div className="row end">
          <button className="btn ghost" onClick={() => setStep('phrase')}>
            Back
          </button>
          <button className="btn primary" disabled={!rule} onClick={() => setStep('password')}>
            Continue
          </button>
        </div>
      </div>
    );
  }

  return (
    <PasswordStep
      busy={busy}
      error={error}
      submitLabel="Restore wallet"
      onSubmit={(password) => {
        if (!rule) return;
        setBusy(true);
        api
          ?.call('wallet.restore', { mnemonic: text, passphrase, rule, password })
          .then((r) => props.onDone(r.address))
          .catch((e: unknown) => {
            setBusy(false);
            setError(errorMessage(e));
          });
      }}
    />
  );
}
