/**
 * The last lines the embedded node wrote to stderr, kept bounded on the main side for the Node page.
 * Lines are redacted before they are stored: 64- and 128-hex runs (seeds, secret keys) and runs of
 * mnemonic-like lowercase words never reach the UI.
 */
const MAX_LINES = 500;
const MAX_LINE_CHARS = 2000;

// 128 first so a 128-hex secret is not left with a 64-hex remainder.
const HEX_SECRET = /\b(?:[0-9a-fA-F]{128}|[0-9a-fA-F]{64})\b/g;
// Twelve or more short lowercase words in a row look like a recovery phrase.
const MNEMONIC_RUN = /\b(?:[a-z]{3,8}[ ,]+){11,}[a-z]{3,8}\b/g;

export function redactLogLine(line: string): string {
  return line
    .slice(0, MAX_LINE_CHARS)
    .replace(HEX_SECRET, (m) => `[redacted ${m.length}-hex]`)
    .replace(MNEMONIC_RUN, '[redacted words]');
}

export class LogTail {
  private lines: string[] = [];

  constructor(private readonly max = MAX_LINES) {}

  push(line: string): void {
    this.lines.push(redactLogLine(line));
    if (this.lines.length > this.max) this.lines.splice(0, this.lines.length - this.max);
  }

  recent(limit = this.max): string[] {
    return this.lines.slice(-limit);
  }
}
