import { StatusBadge } from '../../components/StatusBadge.js';
import { formatRtc, formatTime, shortAddress } from '../../format.js';
import { useWalletStore } from '../../stores/wallet-store.js';

const KIND_LABEL = {
  transfer_in: 'Received',
  transfer_out: 'Sent',
  reward: 'Mining reward',
  ledger: 'Genesis / ledger',
};

export function HistoryTable({ limit }: { limit?: number }) {
  const history = useWalletStore((s) => s.history);
  const transfers = useWalletStore((s) => s.transfers);
  const items = limit ? history.slice(0, limit) : history;
  const liveStatus = new Map(transfers.map((t) => [t.txHash, t.status]));
  if (items.length === 0) return <div className="empty">No transactions yet.</div>;
  return (
    <table data-testid="history-table">
      <thead>
        <tr>
          <th scope="col">Type</th>
          <th scope="col">Counterparty</th>
          <th scope="col">Epoch</th>
          <th scope="col">Time</th>
          <th scope="col">Status</th>
          <th scope="col" style={{ textAlign: 'right' }}>
            Amount (RTC)
          </th>
        </tr>
      </thead>
      <tbody>
        {items.map((h, i) => {
          const outgoing = h.kind === 'transfer_out';
          const status = h.txHash && liveStatus.get(h.txHash) === 'failed' ? 'voided' : h.status;
          return (
            <tr key={`${h.txHash ?? 'row'}-${h.kind}-${i}`} data-tx={h.txHash ?? undefined}>
              <td>{KIND_LABEL[h.kind]}</td>
              <td className="mono" title={h.counterparty ?? undefined}>
                {h.counterparty ? shortAddress(h.counterparty) : '—'}
              </td>
              <td className="mono">{h.epoch ?? '—'}</td>
              <td className="dim">{formatTime(h.timestamp)}</td>
              <td>
                <StatusBadge status={status} />
              </td>
              <td className={`num ${outgoing ? 'amount-out' : 'amount-in'}`}>
                {formatRtc(outgoing ? `-${h.amountI64.replace(/^-/, '')}` : h.amountI64, { sign: true })}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
