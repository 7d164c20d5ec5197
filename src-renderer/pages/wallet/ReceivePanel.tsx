import { CopyButton } from '../../components/CopyButton.js';
import { QrCode } from '../../components/QrCode.js';
import { useWalletStore } from '../../stores/wallet-store.js';

export function ReceivePanel() {
  const address = useWalletStore((s) => s.state?.active ?? null);
  if (!address) return null;
  return (
    <section className="card receive" aria-label="Receive">
      <QrCode value={address} label={`QR code of the address ${address}`} />
      <div className="stack">
        <h2>Your address</h2>
        <p className="dim">Share this address to receive RTC. It is safe to share; it cannot be used to spend.</p>
        <div className="address-box" data-testid="receive-address">
          {address}
        </div>
        <div className="row">
          <CopyButton text={address} label="Copy address" />
        </div>
      </div>
    </section>
  );
}
