import type { AppErrorBody, ErrorCode } from '../../src-main/app/contract.js';

/** A failed command, with the contract's stable error code. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  constructor(body: AppErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.code = body.code;
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
