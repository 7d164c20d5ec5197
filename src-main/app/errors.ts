/** The app API's error type: a stable code from the contract plus a message fit for the UI. */
import type { AppErrorBody, ErrorCode } from './contract.js';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }

  toBody(): AppErrorBody {
    return { code: this.code, message: this.message };
  }
}

/** Anything thrown below the app layer becomes `internal_error` without leaking its details. */
export function toErrorBody(err: unknown): AppErrorBody {
  if (err instanceof AppError) return err.toBody();
  return { code: 'internal_error', message: 'an unexpected error occurred' };
}
