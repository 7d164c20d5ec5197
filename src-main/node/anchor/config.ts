/**
 * The `ergo` key of `<data-dir>/config.json` (PROTOCOL.md B.9). Absent file or key → anchoring is off;
 * a present but invalid key is a start-up error naming the bad fields, never a silent default.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export class AnchorConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AnchorConfigError';
  }
}

const nanoerg = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const ergoConfigSchema = z
  .strictObject({
    url: z.url({ protocol: /^https?$/, error: 'url must be an http(s) URL of the Ergo node REST API' }),
    api_key: z.string().min(1),
    // Ergo addresses are Base58 (no 0, O, I, l).
    address: z.string().regex(/^[1-9A-HJ-NP-Za-km-z]{30,200}$/, 'address must be a Base58 Ergo address'),
    value_nanoerg: nanoerg.min(1).default(1_000_000),
    fee_nanoerg: nanoerg.default(1_000_000),
    mode: z.enum(['send', 'sign']).default('send'),
    wallet_password: z.string().optional(),
  })
  .superRefine((c, ctx) => {
    if (c.mode === 'sign' && c.fee_nanoerg !== 0) {
      ctx.addIssue({ code: 'custom', path: ['fee_nanoerg'], message: 'mode "sign" requires fee_nanoerg = 0' });
    }
  });

export type ErgoConfig = z.output<typeof ergoConfigSchema>;

/** Validates an already-parsed `ergo` value. */
export function parseErgoConfig(value: unknown): ErgoConfig {
  const r = ergoConfigSchema.safeParse(value);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${['ergo', ...i.path].join('.')}: ${i.message}`);
    throw new AnchorConfigError(`invalid Ergo anchoring configuration: ${issues.join('; ')}`);
  }
  return r.data;
}

/** Reads `<dataDir>/config.json`; null when the file or its `ergo` key is absent. */
export function loadErgoConfig(dataDir: string): ErgoConfig | null {
  const path = join(dataDir, 'config.json');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new AnchorConfigError(`cannot read ${path}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new AnchorConfigError(`${path} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AnchorConfigError(`${path} must hold a JSON object`);
  }
  const ergo = (parsed as Record<string, unknown>).ergo;
  return ergo === undefined || ergo === null ? null : parseErgoConfig(ergo);
}
