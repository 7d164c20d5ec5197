import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { api } from './api/index.js';
import { AppShell } from './pages/AppShell.js';
import { connectStores } from './stores/connect.js';
import './styles.css';

const root = createRoot(document.getElementById('root') as HTMLElement);
if (api) {
  connectStores(api);
  root.render(
    <StrictMode>
      <AppShell />
    </StrictMode>,
  );
} else {
  root.render(
    <main className="center-panel card">
      <h1>RustChain Desktop</h1>
      <p className="dim">
        This page needs its access token. Open the exact URL that <code>npm start</code> printed (it ends with
        <code> #token=…</code>).
      </p>
    </main>,
  );
}
