/** Output rules of E.1: with --json stdout carries only JSON; diagnostics always go to stderr. */
import { CliError } from './errors.js';

export interface OutputOptions {
  json?: boolean;
}

/** One JSON object per line, compact (events and short-command results). */
export function printJson(obj: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify(obj, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)) + '\n');
}

export function printResult(opts: OutputOptions, result: Record<string, unknown>, human: () => string): void {
  if (opts.json) printJson({ ok: true, ...result });
  else process.stdout.write(human() + '\n');
}

export function diag(message: string): void {
  process.stderr.write(message + '\n');
}

/** Prints a failure as E.1 says and returns the exit code. */
export function reportFailure(opts: OutputOptions, err: unknown): number {
  const e =
    err instanceof CliError ? err : new CliError('internal_error', err instanceof Error ? err.message : String(err));
  if (opts.json) {
    printJson({ ok: false, error: e.code, message: e.message, ...e.extra });
  } else {
    diag(`error: ${e.message} (${e.code})`);
  }
  return e.exitCode;
}

/** Runs a command action with E.1 error reporting and exit codes. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const cmd = args[args.length - 1] as { optsWithGlobals?: () => OutputOptions } | undefined;
    const opts = cmd?.optsWithGlobals?.() ?? {};
    try {
      await fn(...args);
    } catch (err) {
      process.exitCode = reportFailure(opts, err);
    }
  };
}
