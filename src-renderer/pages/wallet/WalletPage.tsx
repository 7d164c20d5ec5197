import { useUiStore, type WalletTab } from '../../stores/ui-store.js';
import { useWalletStore } from '../../stores/wallet-store.js';
import { shortAddress } from '../../format.js';
import { BalanceCards } from './BalanceCards.js';
import { BalanceChart } from './BalanceChart.js';
import { HistoryTable } from './HistoryTable.js';
import { ReceivePanel } from './ReceivePanel.js';
import { SendPanel } from './SendPanel.js';
import { CopyButton } from '../../components/CopyButton.js';

const TABS: Array<{ id: WalletTab; label: string }> = [
  { id: 'overview', label: 'Overview' },
  { id: 'send', label: 'Send' },
  { id: 'receive', label: 'Receive' },
  { id: 'history', label: 'History' },
];

export function WalletPage() {
  const tab = useUiStore((s) => s.walletTab);
  const setTab = useUiStore((s) => s.setWalletTab);
  const sendDraftSeq = useUiStore((s) => s.sendDraftSeq);
  const state = useWalletStore((s) => s.state);
  const account = state?.accounts.find((a) => a.address === state.active);
  return (
    <div className="page" data-testid="wallet-page">
      <div className="page-header">
        <div className="stack" style={{ gap: 4 }}>
          <h1>Wallet</h1>
          {state?.active ? (
            <div className="row">
              <span className="mono dim" title={state.active} data-testid="active-address">
                {shortAddress(state.active)}
              </span>
              {account && account.name !== account.address ? (
                <span className="badge neutral">{account.name}</span>
              ) : null}
              <CopyButton text={state.active} label="Copy" />
            </div>
          ) : null}
        </div>
      </div>
      <div className="tabs" role="tablist" aria-label="Wallet sections">
        {TABS.map((t) => (
          <button key={t.id} role="tab" aria-selected={tab === t.id} onClick={() => setTab(t.id)}>
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" className="stack">
        {tab === 'overview' ? (
          <>
            <BalanceCards />
            <BalanceChart />
            <section className="card">
              <div className="card-title">
                <h2>Recent activity</h2>
                <button className="btn ghost small" onClick={() => setTab('history')}>
                  View all
                </button>
              </div>
              <HistoryTable limit={5} />
            </section>
          </>
        ) : tab === 'send' ? (
          <>
            <BalanceCards />
            <SendPanel key={sendDraftSeq} />
          </>
        ) : tab === 'receive' ? (
          <ReceivePanel />
        ) : (
          <section className="card">
            <div className="card-title">
              <h2>History</h2>
            </div>
            <HistoryTable />
          </section>
        )}
      </div>
    </div>
  );
}
