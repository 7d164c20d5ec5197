/**
 * The one entry point both doors use: checks the command name and validates its arguments with the
 * contract's zod schemas before any handler runs, and turns every failure into an error body.
 */
import {
  commands,
  isCommandName,
  type AppErrorBody,
  type CommandArgs,
  type CommandName,
  type CommandResult,
} from './contract.js';
import { AppError, toErrorBody } from './errors.js';

export type Handlers = { [C in CommandName]: (args: CommandArgs<C>) => Promise<CommandResult<C>> };

export type DispatchResult = { ok: true; result: unknown } | { ok: false; error: AppErrorBody };

export interface DispatchOptions {
  /** Called with unexpected (non-AppError) failures, for the log; never shown to the UI. */
  onUnexpected?: (command: string, err: unknown) => void;
}

export async function dispatch(
  handlers: Handlers,
  command: unknown,
  rawArgs: unknown,
  options: DispatchOptions = {},
): Promise<DispatchResult> {
  if (!isCommandName(command)) {
    return {
      ok: false,
      error: { code: 'invalid_request', message: `unknown command ${String(command).slice(0, 64)}` },
    };
  }
  const parsed = commands[command].input.safeParse(rawArgs ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    return {
      ok: false,
      error: { code: 'invalid_request', message: `${where}${issue?.message ?? 'invalid arguments'}` },
    };
  }
  try {
    const handler = handlers[command] as (args: unknown) => Promise<unknown>;
    return { ok: true, result: await handler(parsed.data) };
  } catch (err) {
    if (!(err instanceof AppError)) options.onUnexpected?.(command, err);
    return { ok: false, error: toErrorBody(err) };
  }
}
