import { useState } from 'react';
import { useUiStore } from '../../stores/ui-store.js';
import { CreateFlow } from './CreateFlow.js';
import { RestoreFlow } from './RestoreFlow.js';

export function Onboarding(props: { onFinished?: () => void }) {
  const [mode, setMode] = useState<'choose' | 'create' | 'restore'>('choose');
  const toast = useUiStore((s) => s.toast);
  const done = (address: string) => {
    toast('success', `Wallet ${address.slice(0, 11)}… is ready`);
    props.onFinished?.();
  };
  return (
    <div className="onboarding" data-testid="onboarding">
      <div className="stack" style={{ gap: 6 }}>
        <h1>Set up your wallet</h1>
        <p className="dim">Create a new RustChain wallet or restore one you already have.</p>
      </div>
      {mode === 'choose' ? (
        <div className="choice-grid">
          <button className="choice" onClick={() => setMode('create')}>
            <strong>Create a new wallet</strong>
            <span className="dim">Get a fresh 24-word recovery phrase.</span>
          </button>
          <button className="choice" onClick={() => setMode('restore')}>
            <strong>Restore a wallet</strong>
            <span className="dim">Use a recovery phrase from this or another RustChain wallet.</span>
          </button>
        </div>
      ) : mode === 'create' ? (
        <CreateFlow onDone={done} onBack={() => setMode('choose')} />
      ) : (
        <RestoreFlow onDone={done} onBack={() => setMode('choose')} />
      )}
    </div>
  );
}
