import { useEffect, useState } from 'react';
import { api } from '../api/index.js';
import { NetworkBadge } from '../components/NetworkBadge.js';
import { NodeStatusCard } from '../components/NodeStatusCard.js';
import { Toasts } from '../components/Toasts.js';
import { shortAddress } from '../format.js';
import { useUiStore, type Route } from '../stores/ui-store.js';
import { useWalletStore } from '../stores/wallet-store.js';
import { ExplorerPage } from './explorer/ExplorerPage.js';
import { MiningPage } from './mining/MiningPage.js';
import { NodePage } from './node/NodePage.js';
import { Onboarding } from './onboarding/Onboarding.js';
import { SettingsPage } from './SettingsPage.js';
import { UnlockScreen } from './UnlockScreen.js';
import { WalletPage } from './wallet/WalletPage.js';

const NAV: Array<{ id: Route; label: string; icon: string; later?: boolean }> = [
  { id: 'wallet', label: 'Wallet', icon: '◈' },
  { id: 'mining', label: 'Mining', icon: '⚒' },
  { id: 'explorer', label: 'Explorer', icon: '▤' },
  { id: 'node', label: 'Node', icon: '⬡' },
  { id: 'settings', label: 'Settings', icon: '⚙' },
];

export function AppShell() {
  const route = useUiStore((s) => s.route);
  const navigate = useUiStore((s) => s.navigate);
  const link = useUiStore((s) => s.link);
  const walletState = useWalletStore((s) => s.state);
  const [addingWallet, setAddingWallet] = useState(false);

  // Any interaction counts as activity for the auto-lock timer on the main side.
  useEffect(() => {
    let last = 0;
    const touch = () => {
      const now = Date.now();
      if (now - last < 15_000) return;
      last = now;
      void api?.call('app.activity', {}).catch(() => undefined);
    };
    window.addEventListener('pointerdown', touch);
    window.addEventListener('keydown', touch);
    return () => {
      window.removeEventListener('pointerdown', touch);
      window.removeEventListener('keydown', touch);
    };
  }, []);

  const needsOnboarding = walletState !== null && (walletState.accounts.length === 0 || addingWallet);
  let content;
  if (route === 'settings')
    content = (
      <SettingsPage
        onAddWallet={() => {
          setAddingWallet(true);
          navigate('wallet');
        }}
      />
    );
  else if (route === 'mining') content = <MiningPage />;
  else if (route === 'explorer') content = <ExplorerPage />;
  else if (route === 'node') content = <NodePage />;
  else if (walletState === null) content = <p className="dim">Loading…</p>;
  else if (needsOnboarding) content = <Onboarding onFinished={() => setAddingWallet(false)} />;
  else if (walletState.locked) content = <UnlockScreen />;
  else content = <WalletPage />;

  return (
    <div className="shell">
      <aside className="sidebar">
        <div className="brand">
          <div className="brand-mark" aria-hidden="true">
            R
          </div>
          <span className="brand-name">RustChain</span>
        </div>
        <nav className="nav" aria-label="Main">
          {NAV.map((n) => (
            <button
              key={n.id}
              aria-current={route === n.id ? 'page' : undefined}
              onClick={() => navigate(n.id)}
              data-nav={n.id}
            >
              <span aria-hidden="true">{n.icon}</span>
              {n.label}
              {n.later ? <span className="soon">soon</span> : null}
            </button>
          ))}
        </nav>
        <div className="sidebar-footer">
          <NodeStatusCard />
        </div>
      </aside>
      <div className="main">
        <header className="topbar">
          <NetworkBadge />
          <span className="spacer" />
          {walletState?.active ? (
            <span className="mono dim" title={walletState.active}>
              {shortAddress(walletState.active)}
            </span>
          ) : null}
          {walletState && walletState.accounts.length > 0 ? (
            walletState.locked ? (
              <span className="badge neutral" data-testid="lock-state">
                Locked
              </span>
            ) : (
              <button className="btn small" data-testid="lock-button" onClick={() => void api?.call('wallet.lock', {})}>
                Lock
              </button>
            )
          ) : null}
        </header>
        {link !== 'open' ? (
          <div className="link-banner" role="status">
            {link === 'connecting' ? 'Connecting to the app…' : 'Connection lost — reconnecting…'}
          </div>
        ) : null}
        <main className="content">{content}</main>
      </div>
      <Toasts />
    </div>
  );
}
