import { useNodeStore } from '../stores/node-store.js';

export function NetworkBadge() {
  const status = useNodeStore((s) => s.status);
  const network = status?.network ?? null;
  if (!network) return <span className="badge neutral">No network</span>;
  return (
    <span className={`badge ${network}`} data-testid="network-badge" title={status?.chainId ?? undefined}>
      {network}
    </span>
  );
}
