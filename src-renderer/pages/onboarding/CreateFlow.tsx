import { useEffect, useMemo, useState } from 'react';
import { api, errorMessage } from '../../api/index.js';
import { PasswordStep } from './PasswordStep.js';
import { pickQuizPositions } from './word-check.js';

type Step = 'words' | 'quiz' | 'password';
const QUIZ_SIZE = 4;

/** Create: show the 24 words once, quiz 4 of them, then encrypt under a password. */
export function CreateFlow(props: { onDone: (address: string) => void; onBack: () => void }) {
  const [draft, setDraft] = useState<{ draftId: string; words: string[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [step, setStep] = useState<Step>('words');
  const [written, setWritten] = useState(false);
  const [answers, setAnswers] = useState<string[]>(Array(QUIZ_SIZE).fill(''));
  const [quizError, setQuizError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const positions = useMemo(() => pickQuizPositions(24, QUIZ_SIZE), []);

  useEffect(() => {
    let live = true;
    api
      ?.call('wallet.beginCreate', {})
      .then((d) => live && setDraft(d))
      .catch((e: unknown) => live && setError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, []);

  if (error)
    return (
      <div className="callout danger" role="alert">
        {error}
      </div>
    );
  if (!draft) return <p className="dim">Generating a new recovery phrase…</p>;

  const steps = (
    <div className="steps" aria-label="Progress">
      <span aria-current={step === 'words' ? 'step' : undefined}>1. Recovery phrase</span>
      <span>›</span>
      <span aria-current={step === 'quiz' ? 'step' : undefined}>2. Check</span>
      <span>›</span>
      <span aria-current={step === 'password' ? 'step' : undefined}>3. Password</span>
    </div>
  );

  if (step === 'words') {
    return (
      <div className="stack">
        {steps}
        <div className="card stack">
          <h2>Write down your recovery phrase</h2>
          <div className="callout warn" role="note">
            <span>
              These 24 words are the only backup of your wallet. Write them on paper, in order, and keep them offline.
              Anyone who sees them can take your funds. They are shown <strong>only once</strong>.
            </span>
          </div>
          <ol className="words" aria-label="Recovery phrase" data-testid="mnemonic-words">
            {draft.words.map((w, i) => (
              <li key={i}>
                <span className="n">{i + 1}</span>
                <span data-testid={`word-${i + 1}`}>{w}</span>
              </li>
            ))}
          </ol>
          <label className="checkbox">
            <input type="checkbox" checked={written} onChange={(e) => setWritten(e.target.checked)} />
            <span>I have written down all 24 words in order.</span>
          </label>
          <div className="row end">
            <button className="btn ghost" onClick={props.onBack}>
              Cancel
            </button>
            <button className="btn primary" disabled={!written} onClick={() => setStep('quiz')}>
              Continue
            </button>
          </div>
        </div>
      </div>
    );
  }

  if (step === 'quiz') {
    const check = () => {
      const wrong = positions.filter((p, i) => (answers[i] ?? '').trim().toLowerCase() !== draft.words[p]);
      if (wrong.length > 0) {
        setQuizError(
          `Word${wrong.length > 1 ? 's' : ''} ${wrong.map((p) => `#${p + 1}`).join(', ')} do${wrong.length > 1 ? '' : 'es'} not match. Check your copy.`,
        );
        return;
      }
      setQuizError(null);
      setStep('password');
    };
    return (
      <div className="stack">
        {steps}
        <form
          className="card stack"
          onSubmit={(e) => {
            e.preventDefault();
            check();
          }}
        >
          <h2>Check your copy</h2>
          <p className="dim">Type these words from your written phrase. The phrase is hidden now.</p>
          <div className="grid-2">
            {positions.map((p, i) => (
              <label className="field" key={p}>
                <span className="field-label">Word #{p + 1}</span>
                <input
                  type="text"
                  autoComplete="off"
                  spellCheck={false}
                  data-testid={`quiz-${p + 1}`}
                  value={answers[i]}
                  onChange={(e) => setAnswers(answers.map((a, j) => (j === i ? e.target.value : a)))}
                />
              </label>
            ))}
          </div>
          {quizError ? (
            <div className="field-error" role="alert">
              {quizError}
            </div>
          ) : null}
          <div className="row end">
            <button type="button" className="btn ghost" onClick={() => setStep('words')}>
              Back
            </button>
            <button type="submit" className="btn primary" disabled={answers.some((a) => a.trim() === '')}>
              Check
            </button>
          </div>
        </form>
      </div>
    );
  }

  return (
    <div className="stack">
      {steps}
      <PasswordStep
        busy={busy}
        error={error}
        submitLabel="Create wallet"
        onSubmit={(password) => {
          setBusy(true);
          api
            ?.call('wallet.finishCreate', { draftId: draft.draftId, password })
            .then((r) => props.onDone(r.address))
            .catch((e: unknown) => {
              setBusy(false);
              setError(errorMessage(e));
            });
        }}
      />
    </div>
  );
}
