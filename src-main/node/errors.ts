/** A start-up failure of the node (E.2: exit code 7); `message` is for the operator, never a stack. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}
