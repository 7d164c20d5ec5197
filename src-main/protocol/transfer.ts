/**
 * Signed transfers (PROTOCOL.md A.5, B.4, C.4): the two signed message templates, tx ids, the
 * stateless part of `POST /wallet/transfer/signed` validation (A.5.5 rows 1–22, reference and **ours**),
 * the B.4 transfer object, and wallet-side signing.
 *
 * Rows 23–25 need ledger state and belong to the node; the builders of their exact answers are here
 * so that every error body of the endpoint comes from one place.
 */
import {
  canonicalJson,
  isIntValue,
  isJsonObject,
  JsonError,
  parseJson,
  PyFloat,
  type JsonObject,
  type JsonValue,
} from './canonical-json.js';
import { asciiBytes, bytesToHex, concatBytes, hexToBytes, sha256Hex } from './bytes.js';
import {
  addressFromPublicKey,
  keyPairFromSeed,
  RTC_ADDRESS,
  RTC_ADDRESS_FORMAT,
  sign,
  verifyStrict,
  type Verifier,
} from './keys.js';
import {
  MAX_I64,
  microOfFloat,
  MIN_RTC,
  parseRequestAmount,
  parseRequestFee,
  pythonStrip,
  rtcFloat,
  walletAmountText,
} from './amounts.js';

export type TransferTemplate = 'current' | 'legacy';

export const CHAIN_ID_FORMAT = /^[A-Za-z0-9._-]{1,64}$/;
export const MAX_MEMO_CODE_POINTS = 1024;
export const MAX_TRANSFER_OBJECT_BYTES = 16_384;

export interface TransferMessageFields {
  /** A: the signed amount, always a float. */
  amount: PyFloat;
  chainId: string;
  /** F: the signed fee (current template only). */
  fee: PyFloat;
  from: string;
  memo: string;
  /** N: canonical decimal text of the nonce. */
  nonce: string;
  to: string;
}

/** The exact signed text of A.5.3 (canonical JSON, pure ASCII). */
export function buildTransferMessage(f: TransferMessageFields, template: TransferTemplate): string {
  const obj: JsonObject = {
    amount: f.amount,
    chain_id: f.chainId,
    from: f.from,
    memo: f.memo,
    nonce: f.nonce,
    to: f.to,
  };
  if (template === 'current') obj.fee = f.fee;
  return canonicalJson(obj);
}

/** tx_id = SHA-256(message bytes ‖ raw signature), lower-case hex (A.5.4). */
export function txIdOf(messageText: string, signature: Uint8Array): string {
  return sha256Hex(concatBytes(asciiBytes(messageText), signature));
}

/** tx_hash = the first 32 hex digits of tx_id: the id clients see. */
export function txHashOf(messageText: string, signature: Uint8Array): string {
  return txIdOf(messageText, signature).slice(0, 32);
}

/** A transfer that passed every stateless check; the node then applies rows 23–25. */
export interface AdmittedTransfer {
  /** The signed message text (the template that verified). */
  message: string;
  template: TransferTemplate;
  publicKey: string;
  signature: string;
  txId: string;
  txHash: string;
  from: string;
  to: string;
  amountI64: bigint;
  nonce: bigint;
  memo: string;
  chainId: string;
  signedAmount: PyFloat;
}

export type TransferCheck = { ok: true; transfer: AdmittedTransfer } | { ok: false; status: number; body: JsonObject };

// ---------------------------------------------------------------------------------------------
// Error bodies
// ---------------------------------------------------------------------------------------------

type Refusal = { ok: false; status: number; body: JsonObject };

function refuse(status: number, body: JsonObject): Refusal {
  return { ok: false, status, body };
}

/** Rows 1–15 answer in the reference's preflight shape. */
function preflight(error: string, details: JsonObject = {}): Refusal {
  return refuse(400, { error, details });
}

/** Row 1, and the node's answer to a body that does not parse at all. */
export function invalidJsonBodyError(): JsonObject {
  return { error: 'invalid_json_body', details: {} };
}

/** Row 23. */
export function replayError(nonce: bigint): JsonObject {
  return { error: 'Nonce already used (replay attack detected)', code: 'REPLAY_DETECTED', nonce: nonce.toString() };
}

/** Row 24. */
export function outOfOrderError(nonce: bigint, latest: bigint): JsonObject {
  return {
    error: 'Signed transfer nonce must increase for this wallet',
    code: 'OUT_OF_ORDER_NONCE',
    nonce: nonce.toString(),
    latest_nonce: latest,
  };
}

/** Row 24a (answered with status 429). */
export function tooManyPendingError(): JsonObject {
  return { error: 'too_many_pending', code: 'TOO_MANY_PENDING' };
}

/** Row 25; all figures in µRTC, answered as `*_rtc` floats. */
export function insufficientBalanceError(a: {
  balance: bigint;
  pendingDebits: bigint;
  available: bigint;
  requested: bigint;
}): JsonObject {
  return {
    error: 'Insufficient available balance',
    balance_rtc: rtcFloat(a.balance),
    pending_debits_rtc: rtcFloat(a.pendingDebits),
    available_rtc: rtcFloat(a.available),
    requested_rtc: rtcFloat(a.requested),
  };
}

// ---------------------------------------------------------------------------------------------
// A.5.5 rows 1–22
// ---------------------------------------------------------------------------------------------

const REQUIRED_FIELDS = ['from_address', 'to_address', 'amount_rtc', 'nonce', 'signature'] as const;
const NONCE_TEXT = /^[+-]?[0-9]+$/;
const HEX_CHARS = /^(?:[0-9a-fA-F]{2})*$/;
const SIGNATURE_HEX = /^[0-9a-f]{128}$/;

function isMissing(v: JsonValue | undefined): boolean {
  return v === undefined || v === null || v === '';
}

/** Python truthiness, for row 12's `not data.get("public_key")`. */
function isFalsy(v: JsonValue | undefined): boolean {
  if (v === undefined || v === null || v === false || v === '' || v === 0 || v === 0n) return true;
  if (v instanceof PyFloat) return v.value === 0;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v).length === 0;
  return false;
}

function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** Row 13: a JSON integer or a decimal-digit string (no `_`, no non-ASCII digits). */
function nonceValue(v: JsonValue): bigint | null {
  if (isIntValue(v)) return BigInt(v);
  if (typeof v !== 'string') return null;
  const text = pythonStrip(v);
  if (!NONCE_TEXT.test(text) || text.length > 4300) return null;
  return BigInt(text);
}

/**
 * Rows 1–22 of A.5.5 for a parsed request body. The node handles unparseable text itself
 * (`invalidJsonBodyError`), the 1 MiB limit, and rows 23–25.
 */
export function checkSignedTransferRequest(
  body: JsonValue,
  ctx: { chainId: string; verify?: Verifier },
): TransferCheck {
  // 1
  if (!isJsonObject(body)) return refuse(400, invalidJsonBodyError());
  // 2
  const missing = REQUIRED_FIELDS.filter((k) => isMissing(body[k]));
  if (missing.length > 0) return preflight('missing_required_fields', { missing });
  // 3–6a
  const amount = parseRequestAmount(body.amount_rtc as JsonValue);
  if (!amount.ok) {
    if (amount.code === 'amount_too_small_after_quantization') {
      return preflight(amount.code, { amount_rtc: amount.signed ?? new PyFloat(0), min_rtc: MIN_RTC });
    }
    return preflight(amount.code);
  }
  // 7–8
  const fee = parseRequestFee(body.fee_rtc);
  if (!fee.ok) {
    return fee.code === 'fee_must_be_non_negative' ? preflight(fee.code) : preflight(fee.code, { field: 'fee_rtc' });
  }
  // 9–11
  const from = typeof body.from_address === 'string' ? pythonStrip(body.from_address) : '';
  const to = typeof body.to_address === 'string' ? pythonStrip(body.to_address) : '';
  if (!RTC_ADDRESS_FORMAT.test(from)) return preflight('invalid_from_address_format');
  if (!RTC_ADDRESS.test(to)) return preflight('invalid_to_address_format');
  if (from === to) return preflight('from_to_must_differ');
  // 12
  if (isFalsy(body.public_key)) return preflight('missing_required_fields', { missing: ['public_key'] });
  // 13–14a
  const nonce = nonceValue(body.nonce as JsonValue);
  if (nonce === null) return preflight('nonce_not_int');
  if (nonce <= 0n) return preflight('nonce_must_be_gt_zero');
  if (nonce > MAX_I64) return preflight('nonce_out_of_range');
  // 15–15a
  const rawChainId = body.chain_id;
  let chainId = '';
  if (!isMissing(rawChainId)) {
    if (typeof rawChainId !== 'string') return preflight('invalid_chain_id_format');
    chainId = pythonStrip(rawChainId);
    if (chainId !== '' && !CHAIN_ID_FORMAT.test(chainId)) return preflight('invalid_chain_id_format');
  }
  if (chainId === '') return refuse(400, { error: 'chain_id_required', expected_chain_id: ctx.chainId });
  // 16–16b
  if (typeof body.signature !== 'string') {
    return refuse(400, { error: 'INVALID_SIGNATURE_TYPE', message: 'signature must be a hex string' });
  }
  if (typeof body.public_key !== 'string') {
    return refuse(400, { error: 'INVALID_PUBLIC_KEY_TYPE', message: 'public_key must be a hex string' });
  }
  let memo = '';
  if (body.memo !== undefined) {
    if (typeof body.memo !== 'string') return preflight('invalid_memo_type');
    memo = body.memo;
  }
  if (codePointLength(memo) > MAX_MEMO_CODE_POINTS) return preflight('memo_too_long');
  // 17
  if (chainId !== ctx.chainId) {
    return refuse(400, {
      error: 'chain_id does not match active network',
      expected_chain_id: ctx.chainId,
      got_chain_id: chainId,
    });
  }
  // 18–19
  const publicKeyHex = pythonStrip(body.public_key).toLowerCase();
  if (!HEX_CHARS.test(publicKeyHex)) {
    return refuse(400, { error: 'invalid_public_key', message: 'Public key is not valid hexadecimal' });
  }
  const publicKey = hexToBytes(publicKeyHex);
  if (addressFromPublicKey(publicKey) !== from) {
    return refuse(400, { error: 'Public key does not match from_address', from_address: from });
  }
  // 20–21
  const signatureHex = pythonStrip(body.signature).toLowerCase();
  const fields: TransferMessageFields = {
    amount: amount.signed,
    chainId,
    fee: fee.signed,
    from,
    memo,
    nonce: nonce.toString(),
    to,
  };
  const verified = verifyTemplates(fields, signatureHex, publicKey, ctx.verify ?? verifyStrict);
  if (verified === null) return refuse(401, { error: 'Invalid signature' });
  if (verified.template === 'legacy' && !fee.isZero) {
    return refuse(401, {
      error: 'Legacy signature format cannot authorize nonzero fee',
      code: 'LEGACY_SIGNATURE_FEE_UNBOUND',
    });
  }
  // 22
  if (!fee.isZero) {
    return refuse(400, {
      error: 'Nonzero signed transfer fees are not supported until fee settlement is implemented',
      code: 'SIGNED_TRANSFER_FEE_UNSETTLED',
      fee_rtc: fee.signed,
    });
  }
  return {
    ok: true,
    transfer: admitted(verified.message, verified.template, publicKeyHex, signatureHex, verified.signature, {
      from,
      to,
      amountI64: amount.amountI64,
      nonce,
      memo,
      chainId,
      signedAmount: amount.signed,
    }),
  };
}

/** Tries the current template, then the legacy one; null when neither verifies. */
function verifyTemplates(
  fields: TransferMessageFields,
  signatureHex: string,
  publicKey: Uint8Array,
  verify: Verifier,
): { template: TransferTemplate; message: string; signature: Uint8Array } | null {
  if (!SIGNATURE_HEX.test(signatureHex) || publicKey.length !== 32) return null;
  const signature = hexToBytes(signatureHex);
  for (const template of ['current', 'legacy'] as const) {
    const message = buildTransferMessage(fields, template);
    if (verify(signature, asciiBytes(message), publicKey)) return { template, message, signature };
  }
  return null;
}

function admitted(
  message: string,
  template: TransferTemplate,
  publicKey: string,
  signatureHex: string,
  signature: Uint8Array,
  rest: Pick<AdmittedTransfer, 'from' | 'to' | 'amountI64' | 'nonce' | 'memo' | 'chainId' | 'signedAmount'>,
): AdmittedTransfer {
  const txId = txIdOf(message, signature);
  return { message, template, publicKey, signature: signatureHex, txId, txHash: txId.slice(0, 32), ...rest };
}

// ---------------------------------------------------------------------------------------------
// B.4 transfer object
// ---------------------------------------------------------------------------------------------

/** What is pooled, gossiped and put in bodies: `{message, public_key, signature}`. */
export function transferObjectOf(t: AdmittedTransfer): JsonObject {
  return { message: t.message, public_key: t.publicKey, signature: t.signature };
}

export type TransferObjectCheck = { ok: true; transfer: AdmittedTransfer } | { ok: false; reason: string };

const OBJECT_KEYS = ['message', 'public_key', 'signature'];
const MESSAGE_KEYS = ['amount', 'chain_id', 'from', 'memo', 'nonce', 'to'];
const PUBLIC_KEY_HEX = /^[0-9a-f]{64}$/;
const NONCE_DIGITS = /^[1-9][0-9]*$/;

function hasExactKeys(obj: JsonObject, required: string[], optional: string[] = []): boolean {
  const keys = Object.keys(obj);
  return (
    required.every((k) => Object.hasOwn(obj, k)) && keys.every((k) => required.includes(k) || optional.includes(k))
  );
}

function isZeroNumber(v: JsonValue): boolean {
  if (v instanceof PyFloat) return v.value === 0;
  return v === 0 || v === 0n;
}

/**
 * The B.4 "validity inside a body" rules that concern one transfer object. Duplicate and already
 * committed tx ids are checked by the body validator, which sees the whole body and the chain.
 */
export function validateTransferObject(
  obj: JsonValue,
  chainId: string,
  verify: Verifier = verifyStrict,
): TransferObjectCheck {
  const no = (reason: string): TransferObjectCheck => ({ ok: false, reason });
  if (!isJsonObject(obj)) return no('a transfer is a JSON object');
  if (!hasExactKeys(obj, OBJECT_KEYS)) return no('a transfer has exactly the keys message, public_key, signature');
  if (canonicalJson(obj).length > MAX_TRANSFER_OBJECT_BYTES)
    return no(`a transfer exceeds ${MAX_TRANSFER_OBJECT_BYTES} bytes`);
  const { message, public_key: publicKey, signature } = obj;
  if (typeof publicKey !== 'string' || !PUBLIC_KEY_HEX.test(publicKey))
    return no('public_key is not 64 lower-case hex digits');
  if (typeof signature !== 'string' || !SIGNATURE_HEX.test(signature))
    return no('signature is not 128 lower-case hex digits');
  if (typeof message !== 'string') return no('message is not a string');
  let m: JsonValue;
  try {
    m = parseJson(message);
  } catch (e) {
    if (e instanceof JsonError) return no('message is not JSON');
    throw e;
  }
  if (!isJsonObject(m) || canonicalJson(m) !== message) return no('message is not a canonical JSON object');
  if (!hasExactKeys(m, MESSAGE_KEYS, ['fee']))
    return no('message keys are not amount, chain_id, [fee,] from, memo, nonce, to');
  if (m.chain_id !== chainId) return no('chain_id is not the chain id of the genesis');
  if (!(m.amount instanceof PyFloat)) return no('amount is not a float');
  const amountI64 = microOfFloat(m.amount.value);
  if (amountI64 < 1n || amountI64 > MAX_I64) return no('amount is outside 1 … 2^63−1 µRTC');
  const template: TransferTemplate = Object.hasOwn(m, 'fee') ? 'current' : 'legacy';
  if (template === 'current' && !isZeroNumber(m.fee as JsonValue)) return no('fee is not 0');
  const { from, to, memo, nonce } = m;
  if (typeof from !== 'string' || !RTC_ADDRESS.test(from)) return no('from is not a lower-case RTC address');
  const publicKeyBytes = hexToBytes(publicKey);
  if (addressFromPublicKey(publicKeyBytes) !== from) return no('from is not the address of public_key');
  if (typeof to !== 'string' || !RTC_ADDRESS.test(to)) return no('to is not a lower-case RTC address');
  if (to === from) return no('to equals from');
  if (typeof memo !== 'string' || codePointLength(memo) > MAX_MEMO_CODE_POINTS)
    return no('memo is not a string of ≤ 1024 code points');
  if (typeof nonce !== 'string' || !NONCE_DIGITS.test(nonce) || nonce.length > 19 || BigInt(nonce) > MAX_I64) {
    return no('nonce is not a decimal string in 1 … 2^63−1');
  }
  const signatureBytes = hexToBytes(signature);
  if (!verify(signatureBytes, asciiBytes(message), publicKeyBytes)) return no('signature does not verify');
  return {
    ok: true,
    transfer: admitted(message, template, publicKey, signature, signatureBytes, {
      from,
      to,
      amountI64,
      nonce: BigInt(nonce),
      memo,
      chainId,
      signedAmount: m.amount,
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// Wallet side (C.4 steps 5–6)
// ---------------------------------------------------------------------------------------------

export interface SignTransferInput {
  seed: Uint8Array;
  /** Recipient; the hex part is lower-cased (C.4 step 2). */
  to: string;
  amountMicro: bigint;
  memo: string;
  nonce: bigint;
  chainId: string;
}

export interface SignedTransfer {
  /** The request body of `POST /wallet/transfer/signed` (C.4 step 6); serialise it canonically. */
  body: JsonObject;
  message: string;
  publicKey: string;
  signature: string;
  txId: string;
  txHash: string;
  from: string;
}

/** Builds and signs a current-template transfer. Throws RangeError on arguments no node would accept. */
export function signTransfer(input: SignTransferInput): SignedTransfer {
  if (!RTC_ADDRESS_FORMAT.test(input.to)) throw new RangeError('the recipient is not an RTC address');
  const to = 'RTC' + input.to.slice(3).toLowerCase();
  if (input.nonce < 1n || input.nonce > MAX_I64) throw new RangeError('the nonce is outside 1 … 2^63−1');
  if (codePointLength(input.memo) > MAX_MEMO_CODE_POINTS)
    throw new RangeError('the memo is longer than 1024 characters');
  if (!CHAIN_ID_FORMAT.test(input.chainId)) throw new RangeError('the chain id is malformed');
  const { publicKey } = keyPairFromSeed(input.seed);
  const from = addressFromPublicKey(publicKey);
  if (from === to) throw new RangeError('sender and recipient are the same address');
  const amount = new PyFloat(Number(walletAmountText(input.amountMicro)));
  const message = buildTransferMessage(
    { amount, chainId: input.chainId, fee: new PyFloat(0), from, memo: input.memo, nonce: input.nonce.toString(), to },
    'current',
  );
  const signature = sign(asciiBytes(message), input.seed);
  const publicKeyHex = bytesToHex(publicKey);
  const signatureHex = bytesToHex(signature);
  const txId = txIdOf(message, signature);
  return {
    body: {
      from_address: from,
      to_address: to,
      amount_rtc: amount,
      nonce: input.nonce,
      memo: input.memo,
      public_key: publicKeyHex,
      signature: signatureHex,
      chain_id: input.chainId,
    },
    message,
    publicKey: publicKeyHex,
    signature: signatureHex,
    txId,
    txHash: txId.slice(0, 32),
    from,
  };
}
