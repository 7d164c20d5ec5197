import { passwordStrength } from '../password-strength.js';

const WORDS = ['Too weak', 'Weak', 'Fair', 'Good', 'Strong'];

export function PasswordStrength({ password }: { password: string }) {
  const score = passwordStrength(password);
  return (
    <div className="stack" style={{ gap: 4 }}>
      <div
        className={`strength s${score}`}
        role="meter"
        aria-label="Password strength"
        aria-valuemin={0}
        aria-valuemax={4}
        aria-valuenow={score}
        aria-valuetext={WORDS[score]}
      >
        <div />
        <div />
        <div />
        <div />
      </div>
      <span className="field-hint" data-testid="password-strength">
        {password ? WORDS[score] : 'Use at least 10 characters; a few unrelated words work well.'}
      </span>
    </div>
  );
}
