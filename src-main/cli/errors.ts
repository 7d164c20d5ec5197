/** The CLI's error codes and exit codes (PROTOCOL.md E.1). */
export const EXIT = {
  ok: 0,
  usage: 1,
  network: 2,
  rejected: 3,
  notFound: 4,
  auth: 5,
  internal: 6,
  startup: 7,
} as const;

const EXIT_BY_ERROR: Record<string, number> = {
  usage: 1,
  invalid_amount: 1,
  invalid_address: 1,
  invalid_mnemonic: 1,
  password_required: 1,
  mnemonic_required: 1,
  keystore_ambiguous: 1,
  file_exists: 1,
  rule_required: 1,
  unsupported_format: 1,
  invalid_genesis: 1,
  node_unreachable: 2,
  timeout: 2,
  node_rejected: 3,
  transfer_failed: 3,
  keystore_not_found: 4,
  wrong_password: 5,
  keystore_corrupt: 5,
  internal_error: 6,
  unsupported_platform: 6,
  startup_failed: 7,
};

/** A failure with a stable `error` code; its exit code follows E.1. Extra fields go into the JSON. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'CliError';
    this.exitCode = EXIT_BY_ERROR[code] ?? EXIT.internal;
  }
}
