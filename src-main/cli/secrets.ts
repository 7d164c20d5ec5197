/**
 * Secrets for CLI commands (PROTOCOL.md E.1): from the environment, else from a TTY prompt without
 * echo, else `password_required` / `mnemonic_required`. Secrets are never written anywhere but the
 * prompt's own terminal.
 */
import { CliError } from './errors.js';

function isInteractive(): boolean {
  return Boolean(process.stdin.isTTY) && Boolean(process.stderr.isTTY);
}

/** Reads one line from the TTY with echo off; prompts go to stderr. */
export function promptHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let value = '';
    const finish = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.removeListener('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003') return finish(new CliError('usage', 'cancelled'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** A visible one-line answer from the TTY (choices, not secrets). */
export async function promptLine(prompt: string): Promise<string> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(prompt);
  } finally {
    rl.close();
  }
}

export function canPrompt(): boolean {
  return isInteractive();
}

/** RUSTCHAIN_PASSWORD, else a prompt (twice when `confirm`), else `password_required`. */
export async function getPassword(opts: { confirm?: boolean; prompt?: string } = {}): Promise<string> {
  const env = process.env.RUSTCHAIN_PASSWORD;
  if (env !== undefined && env !== '') return env;
  if (!isInteractive()) {
    throw new CliError(
      'password_required',
      'a keystore password is needed: set RUSTCHAIN_PASSWORD or run in a terminal',
    );
  }
  const first = await promptHidden(opts.prompt ?? 'Keystore password: ');
  if (first === '') throw new CliError('password_required', 'an empty password is not accepted');
  if (opts.confirm) {
    const second = await promptHidden('Repeat the password: ');
    if (second !== first) throw new CliError('usage', 'the two passwords differ');
  }
  return first;
}

/** RUSTCHAIN_MNEMONIC, else the first line of a non-TTY stdin, else a hidden prompt. */
export async function getMnemonic(): Promise<string> {
  const env = process.env.RUSTCHAIN_MNEMONIC;
  if (env !== undefined && env.trim() !== '') return env;
  if (!process.stdin.isTTY) {
    const line = await firstLineOfStdin();
    if (line.trim() !== '') return line;
    throw new CliError('mnemonic_required', 'a recovery phrase is needed: set RUSTCHAIN_MNEMONIC or pipe it on stdin');
  }
  if (!process.stderr.isTTY)
    throw new CliError('mnemonic_required', 'a recovery phrase is needed: set RUSTCHAIN_MNEMONIC');
  return promptHidden('Recovery phrase (12–24 words): ');
}

export function getMnemonicPassphrase(): string {
  return process.env.RUSTCHAIN_MNEMONIC_PASSPHRASE ?? '';
}

async function firstLineOfStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    total += chunk.length;
    const text = Buffer.concat(chunks).toString('utf8');
    const nl = text.indexOf('\n');
    if (nl >= 0) return text.slice(0, nl);
    if (total > 64 * 1024) break; // a phrase is a few hundred bytes
  }
  return Buffer.concat(chunks).toString('utf8').split('\n')[0] ?? '';
}
