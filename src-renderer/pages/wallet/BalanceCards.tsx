import { formatRtc } from '../../format.js';
import { useWalletStore } from '../../stores/wallet-store.js';

export function BalanceCards() {
  const balance = useWalletStore((s) => s.balance);
  const pending = balance ? (BigInt(balance.pendingInI64) - BigInt(balance.pendingOutI64)).toString() : null;
  const card = (title: string, value: string | null, testId: string, hint: string) => (
    <div className="card stat">
      <h3>{title}</h3>
      <div className="value" data-testid={testId}>
        {value === null ? '—' : formatRtc(value)}
        <span className="unit">RTC</span>
      </div>
      <span className="field-hint">{hint}</span>
    </div>
  );
  return (
    <div className="grid-3">
      {card('Total', balance?.amountI64 ?? null, 'balance-total', 'Confirmed on chain')}
      {card('Available', balance?.availableI64 ?? null, 'balance-available', 'Total minus pending sends')}
      {card('Pending', pending, 'balance-pending', 'Settles when the epoch commits')}
    </div>
  );
}
