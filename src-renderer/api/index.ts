/**
 * Picks the door to the main side: Electron's preload (`window.rustchain`, IPC) or the headless host's
 * WebSocket. The renderer never learns which one beyond this file.
 */
import type { AppApi, CommandInput, CommandName, CommandResult, PreloadBridge } from '../../src-main/app/contract.js';
import { ApiError } from './api-error.js';
import { WsApi } from './ws-client.js';

declare global {
  interface Window {
    rustchain?: PreloadBridge;
  }
}

function ipcApi(bridge: PreloadBridge): AppApi {
  return {
    async call<C extends CommandName>(command: C, args: CommandInput<C>): Promise<CommandResult<C>> {
      const outcome = await bridge.invoke(command, args);
      if (!outcome.ok) throw new ApiError(outcome.error);
      return outcome.result as CommandResult<C>;
    },
    onEvent: (listener) => bridge.onEvent(listener),
  };
}

function chooseApi(): AppApi | null {
  const bridge = window.rustchain;
  if (bridge) return ipcApi(bridge);
  return WsApi.fromLocation();
}

export const api: AppApi | null = chooseApi();
export { ApiError, errorMessage } from './api-error.js';
