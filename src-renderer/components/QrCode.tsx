import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

/** A QR code rendered to a data: URL (allowed by the CSP's img-src) — no canvas in the DOM. */
export function QrCode({ value, label }: { value: string; label: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toDataURL(value, { margin: 0, width: 432, errorCorrectionLevel: 'M' })
      .then((url) => live && setSrc(url))
      .catch(() => live && setSrc(null));
    return () => {
      live = false;
    };
  }, [value]);
  return <div className="qr">{src ? <img src={src} alt={label} /> : null}</div>;
}
