/**
 * Sandboxed preload (bundled to CommonJS by esbuild): exposes only the app contract's `invoke` and
 * `onEvent` on `window.rustchain`. The renderer never receives `ipcRenderer` itself.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { AnyEvent, PreloadBridge } from '../app/contract.js';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, PRELOAD_GLOBAL } from '../app/ipc-channels.js';

const bridge: PreloadBridge = {
  invoke: (command, args) => ipcRenderer.invoke(IPC_CALL_CHANNEL, command, args),
  onEvent: (listener) => {
    const wrapped = (_e: IpcRendererEvent, event: AnyEvent) => listener(event);
    ipcRenderer.on(IPC_EVENT_CHANNEL, wrapped);
    return () => ipcRenderer.removeListener(IPC_EVENT_CHANNEL, wrapped);
  },
};

contextBridge.exposeInMainWorld(PRELOAD_GLOBAL, bridge);
