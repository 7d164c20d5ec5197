import { create } from 'zustand';
import type { LinkState } from '../api/ws-client.js';

export type Route = 'wallet' | 'mining' | 'explorer' | 'node' | 'settings';
export type WalletTab = 'overview' | 'send' | 'receive' | 'history';

export interface Toast {
  id: number;
  kind: 'info' | 'success' | 'error';
  text: string;
}

const MAX_TOASTS = 4;
const TOAST_MS = 6000;

interface UiStore {
  route: Route;
  walletTab: WalletTab;
  link: LinkState;
  toasts: Toast[];
  navigate: (route: Route) => void;
  setWalletTab: (tab: WalletTab) => void;
  setLink: (link: LinkState) => void;
  toast: (kind: Toast['kind'], text: string) => void;
  dismiss: (id: number) => void;
}

let nextToastId = 1;

export const useUiStore = create<UiStore>((set) => ({
  route: 'wallet',
  walletTab: 'overview',
  link: 'connecting',
  toasts: [],
  navigate: (route) => set({ route }),
  setWalletTab: (walletTab) => set({ walletTab, route: 'wallet' }),
  setLink: (link) => set({ link }),
  toast: (kind, text) => {
    const id = nextToastId++;
    set((s) => ({ toasts: [...s.toasts, { id, kind, text }].slice(-MAX_TOASTS) }));
    // Errors stay until dismissed; other notices fade after a few seconds.
    if (kind !== 'error') setTimeout(() => useUiStore.getState().dismiss(id), TOAST_MS);
  },
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));
