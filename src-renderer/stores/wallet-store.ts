import { create } from 'zustand';
import type { Balance, HistoryItem, TransferUpdate, WalletState } from '../../src-main/app/contract.js';

/** Bounds so a long-running window never grows without limit. */
export const MAX_TRACKED_TRANSFERS = 200;
export const MAX_HISTORY_ITEMS = 200;

interface WalletStore {
  state: WalletState | null;
  balance: Balance | null;
  /** Transfers sent or seen this session, newest first, by tx hash. */
  transfers: TransferUpdate[];
  history: HistoryItem[];
  historyTotal: number;
  setState: (state: WalletState) => void;
  setBalance: (balance: Balance) => void;
  upsertTransfer: (update: TransferUpdate) => void;
  setTransfers: (updates: TransferUpdate[]) => void;
  setHistory: (total: number, items: HistoryItem[]) => void;
}

export const useWalletStore = create<WalletStore>((set) => ({
  state: null,
  balance: null,
  transfers: [],
  history: [],
  historyTotal: 0,
  setState: (state) =>
    set((s) => {
      // Switching or locking the wallet drops data that belonged to the previous account.
      const sameAccount = s.state?.active === state.active;
      return sameAccount ? { state } : { state, balance: null, history: [], historyTotal: 0, transfers: [] };
    }),
  setBalance: (balance) => set((s) => (s.state?.active && s.state.active !== balance.address ? {} : { balance })),
  upsertTransfer: (update) =>
    set((s) => ({
      transfers: [update, ...s.transfers.filter((t) => t.txHash !== update.txHash)].slice(0, MAX_TRACKED_TRANSFERS),
    })),
  setTransfers: (updates) => set({ transfers: updates.slice(0, MAX_TRACKED_TRANSFERS) }),
  setHistory: (total, items) => set({ historyTotal: total, history: items.slice(0, MAX_HISTORY_ITEMS) }),
}));
