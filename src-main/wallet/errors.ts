/**
 * Wallet failures with stable codes. The codes are the E.1 error codes where one fits, so the CLI and
 * the app API map them without guessing.
 */
export type WalletErrorCode =
  | 'invalid_amount'
  | 'invalid_address'
  | 'invalid_mnemonic'
  | 'invalid_memo'
  | 'keystore_not_found'
  | 'keystore_ambiguous'
  | 'wrong_password'
  | 'keystore_corrupt'
  | 'file_exists'
  | 'password_required'
  | 'locked'
  | 'throttled'
  | 'unsupported_format'
  | 'node_unreachable'
  | 'timeout'
  | 'node_rejected'
  | 'transfer_failed'
  | 'not_found'
  | 'usage';

export class WalletError extends Error {
  constructor(
    readonly code: WalletErrorCode,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'WalletError';
  }
}
