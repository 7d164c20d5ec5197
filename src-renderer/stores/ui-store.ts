import { create } from 'zustand';
import type { PaymentLinkRequest } from '../../src-main/app/contract.js';
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
  /** A payment link waiting to fill the Send form; taken (and cleared) by the form. */
  sendDraft: PaymentLinkRequest | null;
  /** Bumped per payment link so an already open Send form is re-created with the new draft. */
  sendDraftSeq: number;
  navigate: (route: Route) => void;
  openSendDraft: (draft: PaymentLinkRequest) => void;
  takeSendDraft: () => PaymentLinkRequest | null;
  setWalletTab: (tab: WalletTab) => void;
  setLink: (link: LinkState) => void;
  toast: (kind: Toast['kind'], text: string) => void;
  dismiss: (id: number) => void;
}

let nextToastId = 1;

export const useUiStore = create<UiStore>((set, get) => ({
  route: 'wallet',
  walletTab: 'overview',
  link: 'connecting',
  toasts: [],
  sendDraft: null,
  sendDraftSeq: 0,
  navigate: (route) => set({ route }),
  openSendDraft: (sendDraft) =>
    set((s) => ({ sendDraft, sendDraftSeq: s.sendDraftSeq + 1, route: 'wallet', walletTab: 'send' })),
  takeSendDraft: () => {
    const draft = get().sendDraft;
    if (draft) set({ sendDraft: null });
    return draft;
  },
  setWalletTab: (walletTab) => set({ walletTab, route: 'wallet' }),
  setLink: (link) => set({ link }),
  toast: (kind, text) => {
    const id = nextToastId++;
    set((s) => ({ toasts: [...s.toasts, { id, kind, text }].slice(-MAX_TOASTS) }));
    // Errors stay until dismissed; other notices fade after a few seconds.
    if (kind !== 'error') setTimeout(() => get().dismiss(id), TOAST_MS);
  },
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));
