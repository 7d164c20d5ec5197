/** IPC names shared by the Electron main process and the preload (kept apart so the preload bundle stays tiny). */
export const PRELOAD_GLOBAL = 'rustchain';
export const IPC_CALL_CHANNEL = 'rustchain:call';
export const IPC_EVENT_CHANNEL = 'rustchain:event';
