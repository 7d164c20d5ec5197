/**
 * `rustchain:` payment links: `rustchain:<address>?amount=<rtc>&memo=<text>` (docs/decisions/payment-link.md).
 * Pure parsing and formatting, shared by the OS protocol handler and the wallet's QR codes.
 */
import { formatRtc, parseUserAmount } from './amounts.js';
import { RTC_ADDRESS_FORMAT } from './keys.js';

export const PAYMENT_LINK_SCHEME = 'rustchain';
export const MAX_PAYMENT_LINK_LENGTH = 16_384;
export const MAX_MEMO_CODE_POINTS = 1024;

export interface PaymentLink {
  /** Self-certifying form: `RTC` + 40 lower-case hex digits. */
  address: string;
  /** µRTC, present only when the link names an amount. */
  amountMicro?: bigint;
  memo?: string;
}

export type PaymentLinkErrorCode =
  | 'not_a_payment_link'
  | 'link_too_long'
  | 'invalid_address'
  | 'invalid_amount'
  | 'invalid_memo'
  | 'duplicate_parameter'
  | 'bad_encoding';

export class PaymentLinkError extends Error {
  constructor(
    readonly code: PaymentLinkErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PaymentLinkError';
  }
}

/** Form-style decoding: `+` is a space (what URLSearchParams produces), `%XX` are UTF-8 bytes. */
function decodeComponent(text: string, what: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new PaymentLinkError('bad_encoding', `${what} is not valid percent-encoded UTF-8`);
  }
}

function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

export function parsePaymentLink(link: string): PaymentLink {
  if (link.length > MAX_PAYMENT_LINK_LENGTH) {
    throw new PaymentLinkError('link_too_long', `a payment link is at most ${MAX_PAYMENT_LINK_LENGTH} characters`);
  }
  const trimmed = link.trim();
  const colon = trimmed.indexOf(':');
  if (colon < 0 || trimmed.slice(0, colon).toLowerCase() !== PAYMENT_LINK_SCHEME) {
    throw new PaymentLinkError('not_a_payment_link', 'a payment link starts with "rustchain:"');
  }
  // Some platforms hand the app `rustchain://ADDRESS/?…`; accept the authority form too.
  let rest = trimmed.slice(colon + 1);
  if (rest.startsWith('//')) rest = rest.slice(2);
  const q = rest.indexOf('?');
  let addressPart = q < 0 ? rest : rest.slice(0, q);
  if (addressPart.endsWith('/')) addressPart = addressPart.slice(0, -1);
  const query = q < 0 ? '' : rest.slice(q + 1);

  const address = decodeComponent(addressPart, 'the address');
  if (!RTC_ADDRESS_FORMAT.test(address)) {
    throw new PaymentLinkError('invalid_address', 'the address must be RTC followed by 40 hex digits');
  }
  const result: PaymentLink = { address: 'RTC' + address.slice(3).toLowerCase() };

  const seen = new Set<string>();
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decodeComponent(eq < 0 ? pair : pair.slice(0, eq), 'a parameter name');
    const value = decodeComponent(eq < 0 ? '' : pair.slice(eq + 1), `parameter "${key}"`);
    if (seen.has(key)) throw new PaymentLinkError('duplicate_parameter', `parameter "${key}" appears twice`);
    seen.add(key);
    if (key === 'amount') {
      const micro = parseUserAmount(value);
      if (micro === null || value.trim() !== value) {
        throw new PaymentLinkError(
          'invalid_amount',
          'amount must be a positive RTC decimal with at most 6 fraction digits, within the supply cap',
        );
      }
      result.amountMicro = micro;
    } else if (key === 'memo') {
      if (codePointLength(value) > MAX_MEMO_CODE_POINTS) {
        throw new PaymentLinkError('invalid_memo', `memo is longer than ${MAX_MEMO_CODE_POINTS} characters`);
      }
      result.memo = value;
    }
    // Other parameters are ignored so that later versions can add optional ones.
  }
  return result;
}

/** Builds the canonical link text; `parsePaymentLink(formatPaymentLink(x))` gives `x` back. */
export function formatPaymentLink(p: PaymentLink): string {
  if (!RTC_ADDRESS_FORMAT.test(p.address)) {
    throw new PaymentLinkError('invalid_address', 'the address must be RTC followed by 40 hex digits');
  }
  const params: string[] = [];
  if (p.amountMicro !== undefined) {
    const text = formatRtc(p.amountMicro);
    if (parseUserAmount(text) !== p.amountMicro) {
      throw new PaymentLinkError('invalid_amount', 'amount must be between 1 µRTC and the supply cap');
    }
    params.push('amount=' + text);
  }
  if (p.memo !== undefined) {
    if (codePointLength(p.memo) > MAX_MEMO_CODE_POINTS) {
      throw new PaymentLinkError('invalid_memo', `memo is longer than ${MAX_MEMO_CODE_POINTS} characters`);
    }
    try {
      params.push('memo=' + encodeURIComponent(p.memo));
    } catch {
      throw new PaymentLinkError('invalid_memo', 'memo is not valid Unicode text');
    }
  }
  const address = 'RTC' + p.address.slice(3).toLowerCase();
  return `${PAYMENT_LINK_SCHEME}:${address}${params.length ? '?' + params.join('&') : ''}`;
}
