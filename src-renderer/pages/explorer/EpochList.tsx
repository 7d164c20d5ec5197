import { useCallback, useEffect, useRef, useState } from 'react';
import type { EpochSummary } from '../../../src-main/app/contract.js';
import { api, errorMessage } from '../../api/index.js';
import { formatRtc } from '../../format.js';

const ROW_HEIGHT = 36;
const VIEW_HEIGHT = 360;
const PAGE = 50;
const OVERSCAN = 6;

/**
 * The epoch list, newest first: pages are fetched by keyset (`before` = the last epoch shown) as the user
 * scrolls near the end, and only the rows in view are rendered (fixed-height windowing).
 */
export function EpochList({ onOpen }: { onOpen: (epoch: number) => void }) {
  const [rows, setRows] = useState<EpochSummary[]>([]);
  const [next, setNext] = useState<number | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const loading = useRef(false);

  const loadMore = useCallback(async () => {
    if (loading.current || next === null || !api) return;
    loading.current = true;
    try {
      const page = await api.call('explorer.epochs', { limit: PAGE, before: next ?? null });
      setRows((r) => [...r, ...page.epochs]);
      setNext(page.nextBefore);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      loading.current = false;
    }
  }, [next]);

  useEffect(() => {
    if (next === undefined) void loadMore();
  }, [next, loadMore]);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + VIEW_HEIGHT) / ROW_HEIGHT) + OVERSCAN);
  useEffect(() => {
    if (last >= rows.length - OVERSCAN && next) void loadMore();
  }, [last, rows.length, next, loadMore]);

  if (error) {
    return (
      <p role="alert" className="field-error">
        {error}
      </p>
    );
  }
  return (
    <div
      className="virtual-list"
      style={{ height: VIEW_HEIGHT, overflowY: 'auto', position: 'relative' }}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      data-testid="epoch-list"
      role="list"
      aria-label="Committed epochs, newest first"
      tabIndex={0}
    >
      <div style={{ height: rows.length * ROW_HEIGHT, position: 'relative' }}>
        {rows.slice(first, last).map((e, i) => (
          <div
            role="listitem"
            key={e.epoch}
            style={{ position: 'absolute', top: (first + i) * ROW_HEIGHT, height: ROW_HEIGHT, left: 0, right: 0 }}
            className="virtual-row"
          >
            <button className="linklike mono" onClick={() => onOpen(e.epoch)} data-epoch={e.epoch}>
              Epoch {e.epoch}
            </button>
            <span className="dim">
              {e.attestationCount} att · {e.transferCount} tx · {formatRtc(e.mintedI64, { maxFraction: 2 })} RTC
            </span>
          </div>
        ))}
      </div>
    </div>
  );
}
