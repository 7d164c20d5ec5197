const LABELS: Record<string, string> = {
  pending: 'Pending',
  confirmed: 'Confirmed',
  voided: 'Voided',
  failed: 'Failed',
  unknown: 'Unknown',
};

export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`badge ${status}`} data-status={status}>
      {LABELS[status] ?? status}
    </span>
  );
}
