/** Display helpers for µRTC amounts (decimal strings in the contract) and chain data. */
const MICRO = 1_000_000n;

export function formatRtc(urtc: string | bigint, options: { sign?: boolean; maxFraction?: number } = {}): string {
  const n = typeof urtc === 'bigint' ? urtc : BigInt(urtc);
  const negative = n < 0n;
  const abs = negative ? -n : n;
  const whole = (abs / MICRO).toLocaleString('en-US');
  let fraction = (abs % MICRO).toString().padStart(6, '0').replace(/0+$/, '');
  const max = options.maxFraction ?? 6;
  if (fraction.length > max) fraction = fraction.slice(0, max);
  const body = fraction ? `${whole}.${fraction}` : whole;
  const sign = negative ? '−' : options.sign && n > 0n ? '+' : '';
  return sign + body;
}

/** µRTC → RTC as a number, only for charts (precision loss is harmless there). */
export function urtcToNumber(urtc: string): number {
  return Number(BigInt(urtc)) / 1e6;
}

/**
 * Parses what the user typed per C.4 step 1 (digits, optional point, ≤ 6 fraction digits, no sign or
 * exponent). Returns µRTC or an error message. The main side checks again; this is for instant feedback.
 */
export function parseRtcInput(text: string): { ok: true; urtc: bigint } | { ok: false; message: string } {
  const t = text.trim();
  const m = /^([0-9]*)(\.([0-9]*))?$/.exec(t);
  if (!m || !/[0-9]/.test(t)) return { ok: false, message: 'Enter an amount such as 12.5' };
  const fraction = m[3] ?? '';
  if (fraction.length > 6) return { ok: false, message: 'At most 6 decimal places (1 µRTC)' };
  const urtc = BigInt(m[1] || '0') * MICRO + BigInt(fraction.padEnd(6, '0') || '0');
  if (urtc < 1n) return { ok: false, message: 'The smallest amount is 0.000001 RTC' };
  if (urtc > 8_388_608_000_000n) return { ok: false, message: 'That is more than the total supply' };
  return { ok: true, urtc };
}

export function shortAddress(address: string): string {
  return address.length > 16 ? `${address.slice(0, 9)}…${address.slice(-6)}` : address;
}

export function formatTime(unixSeconds: number | null): string {
  if (unixSeconds === null) return '—';
  return new Date(unixSeconds * 1000).toLocaleString();
}
