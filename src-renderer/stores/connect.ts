/**
 * Feeds the stores from the main side's pushed events. The only fetches are the initial state and a
 * history refresh when a balance event says the balance changed — no polling.
 */
import type { AnyEvent, AppApi } from '../../src-main/app/contract.js';
import { WsApi } from '../api/ws-client.js';
import { useMinerStore } from './miner-store.js';
import { useNodeStore } from './node-store.js';
import { useUiStore } from './ui-store.js';
import { useWalletStore } from './wallet-store.js';

function refreshHistory(api: AppApi): void {
  api
    .call('wallet.history', { limit: 100 })
    .then((h) => useWalletStore.getState().setHistory(h.total, h.items))
    .catch(() => undefined);
}

function onEvent(api: AppApi, event: AnyEvent): void {
  switch (event.name) {
    case 'node.status':
      useNodeStore.getState().setStatus(event.payload);
      break;
    case 'wallet.state': {
      const before = useWalletStore.getState().state;
      useWalletStore.getState().setState(event.payload);
      if (!event.payload.locked && (before?.locked !== false || before.active !== event.payload.active)) {
        void api
          .call('wallet.transfers', {})
          .then((t) => useWalletStore.getState().setTransfers(t))
          .catch(() => undefined);
      }
      break;
    }
    case 'wallet.balance': {
      const previous = useWalletStore.getState().balance;
      useWalletStore.getState().setBalance(event.payload);
      const changed =
        !previous ||
        previous.address !== event.payload.address ||
        previous.amountI64 !== event.payload.amountI64 ||
        previous.pendingOutI64 !== event.payload.pendingOutI64 ||
        previous.pendingInI64 !== event.payload.pendingInI64;
      if (changed) refreshHistory(api);
      break;
    }
    case 'wallet.transfer': {
      useWalletStore.getState().upsertTransfer(event.payload);
      const { toast } = useUiStore.getState();
      if (event.payload.status === 'confirmed')
        toast('success', `Transfer ${event.payload.txHash.slice(0, 8)}… confirmed`);
      if (event.payload.status === 'failed')
        toast(
          'error',
          `Transfer ${event.payload.txHash.slice(0, 8)}… failed (${event.payload.voidReason ?? 'voided'})`,
        );
      break;
    }
    case 'payment.link':
      useUiStore.getState().openSendDraft(event.payload);
      break;
    case 'miner.status':
      useMinerStore.getState().setStatus(event.payload);
      break;
  }
}

export function connectStores(api: AppApi): () => void {
  const offEvents = api.onEvent((e) => onEvent(api, e));
  const offLink = api instanceof WsApi ? api.onLinkState((s) => useUiStore.getState().setLink(s)) : () => undefined;
  if (!(api instanceof WsApi)) useUiStore.getState().setLink('open');
  void api
    .call('node.status', {})
    .then((s) => useNodeStore.getState().setStatus(s))
    .catch(() => undefined);
  void api
    .call('wallet.state', {})
    .then((s) => onEvent(api, { name: 'wallet.state', payload: s }))
    .catch(() => undefined);
  return () => {
    offEvents();
    offLink();
  };
}
