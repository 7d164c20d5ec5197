import { describe, expect, it } from 'vitest';
import { loadVectors } from '../support/vectors.js';
import {
  canonicalJson,
  parseJson,
  PyFloat,
  type JsonObject,
  type JsonValue,
} from '../../src-main/protocol/canonical-json.js';
import { bytesToHex, hexToBytes } from '../../src-main/protocol/bytes.js';
import { ED25519_L, keyPairFromSeed, sign } from '../../src-main/protocol/keys.js';
import { verifyFast } from '../../src-main/node/crypto/ed25519-fast.js';
import {
  buildTransferMessage,
  checkSignedTransferRequest,
  insufficientBalanceError,
  invalidJsonBodyError,
  outOfOrderError,
  replayError,
  signTransfer,
  tooManyPendingError,
  transferObjectOf,
  txHashOf,
  txIdOf,
  validateTransferObject,
  type TransferCheck,
} from '../../src-main/protocol/transfer.js';

interface Case {
  name: string;
  body_text: string;
  ours: { status: number; error?: string; code?: string };
  signed_message?: string;
  template?: 'current' | 'legacy';
  tx_id?: string;
  amount_i64?: number;
}

const v = loadVectors('signed-transfers');
const chainId = v.chain_id as string;
const cases = v.cases as Case[];
const seed = hexToBytes(v.sender.seed as string);
const recipient = v.recipient as string;
/** Outcomes that depend on the ledger (rows 23–25): the node engineer replays the script for those. */
const LEDGER_CODES = new Set(['REPLAY_DETECTED', 'OUT_OF_ORDER_NONCE', 'TOO_MANY_PENDING']);
const LEDGER_ERRORS = new Set(['Insufficient available balance', 'too_many_pending']);

function check(text: string, verify = verifyFast): TransferCheck {
  let body: JsonValue;
  try {
    body = parseJson(text);
  } catch {
    return { ok: false, status: 400, body: invalidJsonBodyError() };
  }
  return checkSignedTransferRequest(body, { chainId, verify });
}

describe('signed-transfers.json (stateless outcomes of our node)', () => {
  it('has the 57 scripted requests', () => expect(cases.length).toBe(57));
  for (const c of cases) {
    const ledger =
      (c.ours.code !== undefined && LEDGER_CODES.has(c.ours.code)) || LEDGER_ERRORS.has(c.ours.error ?? '');
    if (c.ours.status === 200) {
      it(`${c.name}: accepted with the exact message, tx id and debit`, () => {
        const r = check(c.body_text);
        expect(r.ok, r.ok ? '' : canonicalJson(r.body)).toBe(true);
        if (!r.ok) return;
        expect(r.transfer.message).toBe(c.signed_message);
        expect(r.transfer.template).toBe(c.template);
        expect(r.transfer.txId).toBe(c.tx_id);
        expect(r.transfer.txHash).toBe(c.tx_id?.slice(0, 32));
        expect(r.transfer.amountI64).toBe(BigInt(c.amount_i64 as number));
        expect(r.transfer.publicKey).toBe(v.sender.public_key);
        // The pure verifier agrees with the fast one.
        expect(check(c.body_text, undefined).ok).toBe(true);
        // The transfer object made from it is valid inside a body, with the same id.
        const obj = validateTransferObject(transferObjectOf(r.transfer), chainId);
        expect(obj.ok && obj.transfer.txId).toBe(c.tx_id);
        expect(obj.ok && obj.transfer.amountI64).toBe(BigInt(c.amount_i64 as number));
      });
    } else if (!ledger) {
      it(`${c.name}: ${c.ours.status} ${c.ours.error}`, () => {
        const r = check(c.body_text);
        expect(r.ok).toBe(false);
        if (r.ok) return;
        expect(r.status).toBe(c.ours.status);
        expect(r.body.error).toBe(c.ours.error);
        expect(r.body.code).toBe(c.ours.code);
      });
    } else {
      it(`${c.name}: passes every stateless row (the ledger answers ${c.ours.code ?? c.ours.error})`, () => {
        expect(check(c.body_text).ok).toBe(true);
      });
    }
  }

  it('the worked example of A.5.3', () => {
    const r = check(cases[0]?.body_text as string);
    expect(r.ok && r.transfer.txHash).toBe('2bfaa6ccaa5c8f3e76b9b2f5b6b673e7');
  });

  it('answers with the exact reference detail bodies', () => {
    const byName = (n: string) => check(cases.find((c) => c.name === n)?.body_text as string);
    const tooSmall = byName('amount_below_one_micro');
    expect(!tooSmall.ok && canonicalJson(tooSmall.body)).toBe(
      '{"details":{"amount_rtc":1e-07,"min_rtc":1e-06},"error":"amount_too_small_after_quantization"}',
    );
    const missing = byName('missing_fields');
    expect(!missing.ok && canonicalJson(missing.body)).toBe(
      '{"details":{"missing":["to_address","amount_rtc","nonce","signature"]},"error":"missing_required_fields"}',
    );
    const wrongChain = byName('wrong_chain_id');
    expect(!wrongChain.ok && wrongChain.body.expected_chain_id).toBe(chainId);
    const fee = byName('nonzero_fee_current_template');
    expect(!fee.ok && canonicalJson(fee.body.fee_rtc as JsonValue)).toBe('0.01');
    const mismatch = byName('from_not_derived_from_key');
    expect(!mismatch.ok && mismatch.body).toEqual({
      error: 'Public key does not match from_address',
      from_address: 'RTC1325b850c2871916eae203f0efc3c8987f64e5e3',
    });
    const noChain = byName('no_chain_id');
    expect(!noChain.ok && noChain.body).toEqual({ error: 'chain_id_required', expected_chain_id: chainId });
  });
});

function baseBody(over: JsonObject = {}): JsonObject {
  const s = signTransfer({ seed, to: recipient, amountMicro: 250_000n, memo: 'm', nonce: 5n, chainId });
  return { ...s.body, ...over };
}

describe('ours-only rows and hex edge cases', () => {
  it('a wallet-signed body is accepted and its amount text is exactly the signed number', () => {
    const s = signTransfer({
      seed,
      to: recipient.toUpperCase().replace(/^RTC/, 'RTC'),
      amountMicro: 10n,
      memo: 'x',
      nonce: 7n,
      chainId,
    });
    expect(canonicalJson(s.body)).toContain('"amount_rtc":1e-05');
    expect(s.message).toContain('"amount":1e-05');
    expect(s.body.to_address).toBe(recipient);
    const r = checkSignedTransferRequest(parseJson(canonicalJson(s.body)), { chainId });
    expect(r.ok && r.transfer.txId).toBe(s.txId);
    expect(r.ok && r.transfer.template).toBe('current');
    expect(s.txHash).toBe(txHashOf(s.message, hexToBytes(s.signature)));
  });
  it('a body that is not an object is row 1', () => {
    for (const b of [null, 5, 'x', [1]] as JsonValue[]) {
      expect(checkSignedTransferRequest(b, { chainId })).toEqual({
        ok: false,
        status: 400,
        body: invalidJsonBodyError(),
      });
    }
  });
  it('nonce beyond i64 → nonce_out_of_range; underscores → nonce_not_int', () => {
    const big = checkSignedTransferRequest(baseBody({ nonce: 2n ** 63n }), { chainId });
    expect(!big.ok && big.body.error).toBe('nonce_out_of_range');
    const under = checkSignedTransferRequest(baseBody({ nonce: '1_0' }), { chainId });
    expect(!under.ok && under.body.error).toBe('nonce_not_int');
    const boolean = checkSignedTransferRequest(baseBody({ nonce: true }), { chainId });
    expect(!boolean.ok && boolean.body.error).toBe('nonce_not_int');
  });
  it('upper-case recipient hex is refused (ours)', () => {
    const r = checkSignedTransferRequest(baseBody({ to_address: 'RTC' + 'B'.repeat(40) }), { chainId });
    expect(!r.ok && r.body.error).toBe('invalid_to_address_format');
  });
  it('memo rows 16a/16b count code points', () => {
    const ok = checkSignedTransferRequest(baseBody({ memo: '😀'.repeat(1025) }), { chainId });
    expect(!ok.ok && ok.body.error).toBe('memo_too_long');
    const arr = checkSignedTransferRequest(baseBody({ memo: ['a'] }), { chainId });
    expect(!arr.ok && arr.body.error).toBe('invalid_memo_type');
  });
  it('chain id of the wrong type or blank', () => {
    const num = checkSignedTransferRequest(baseBody({ chain_id: 5 }), { chainId });
    expect(!num.ok && num.body.error).toBe('invalid_chain_id_format');
    const blank = checkSignedTransferRequest(baseBody({ chain_id: '   ' }), { chainId });
    expect(!blank.ok && blank.body.error).toBe('chain_id_required');
  });
  it('public_key type and hex edge cases never crash', () => {
    const pk = v.sender.public_key as string;
    const type = checkSignedTransferRequest(baseBody({ public_key: 12 }), { chainId });
    expect(!type.ok && type.body.error).toBe('INVALID_PUBLIC_KEY_TYPE');
    const odd = checkSignedTransferRequest(baseBody({ public_key: pk.slice(1) }), { chainId });
    expect(!odd.ok && [odd.status, odd.body.error]).toEqual([400, 'invalid_public_key']);
    const short = checkSignedTransferRequest(baseBody({ public_key: pk.slice(2) }), { chainId });
    expect(!short.ok && short.body.error).toBe('Public key does not match from_address');
    const sig = baseBody().signature as string;
    for (const s of [sig.slice(2), sig + '00', 'zz' + sig.slice(2), ' ' + sig.toUpperCase() + ' ']) {
      const r = checkSignedTransferRequest(baseBody({ signature: s }), { chainId });
      if (s.trim().length === 128 && /^[0-9A-F]+$/i.test(s.trim())) expect(r.ok).toBe(true);
      else expect(!r.ok && [r.status, r.body.error]).toEqual([401, 'Invalid signature']);
    }
  });
  it('a legacy signature with a zero fee is accepted; S + L is refused', () => {
    const fields = {
      amount: new PyFloat(0.5),
      chainId,
      fee: new PyFloat(0),
      from: v.sender.address as string,
      memo: '',
      nonce: '9',
      to: recipient,
    };
    const legacy = buildTransferMessage(fields, 'legacy');
    const signature = sign(new TextEncoder().encode(legacy), seed);
    const body = baseBody({ amount_rtc: new PyFloat(0.5), nonce: 9, memo: '', signature: bytesToHex(signature) });
    const r = checkSignedTransferRequest(body, { chainId });
    expect(r.ok && r.transfer.template).toBe('legacy');
    expect(r.ok && r.transfer.txId).toBe(txIdOf(legacy, signature));
    // Malleated S: S + L has the same group value but is not canonical.
    const s = signature.slice(32);
    let n = 0n;
    for (let i = 31; i >= 0; i--) n = (n << 8n) | BigInt(s[i] as number);
    n += ED25519_L;
    const mal = Uint8Array.from(signature);
    for (let i = 0; i < 32; i++) {
      mal[32 + i] = Number(n & 0xffn);
      n >>= 8n;
    }
    const refused = checkSignedTransferRequest({ ...body, signature: bytesToHex(mal) }, { chainId });
    expect(!refused.ok && refused.status).toBe(401);
  });
  it('state-dependent error bodies', () => {
    expect(canonicalJson(replayError(1700000000001n))).toBe(
      '{"code":"REPLAY_DETECTED","error":"Nonce already used (replay attack detected)","nonce":"1700000000001"}',
    );
    expect(canonicalJson(outOfOrderError(1700000000000n, 1700000000008n))).toBe(
      '{"code":"OUT_OF_ORDER_NONCE","error":"Signed transfer nonce must increase for this wallet","latest_nonce":1700000000008,"nonce":"1700000000000"}',
    );
    expect(tooManyPendingError()).toEqual({ error: 'too_many_pending', code: 'TOO_MANY_PENDING' });
    expect(
      canonicalJson(
        insufficientBalanceError({
          balance: 100_000_000n,
          pendingDebits: 5_450_010n,
          available: 94_549_990n,
          requested: 1_000_000_000n,
        }),
      ),
    ).toBe(
      '{"available_rtc":94.54999,"balance_rtc":100.0,"error":"Insufficient available balance","pending_debits_rtc":5.45001,"requested_rtc":1000.0}',
    );
  });
});

describe('B.4 transfer objects', () => {
  const good = () => {
    const r = checkSignedTransferRequest(parseJson(cases[0]?.body_text as string), { chainId });
    if (!r.ok) throw new Error('fixture');
    return transferObjectOf(r.transfer);
  };
  const reason = (obj: JsonValue, chain = chainId) => {
    const r = validateTransferObject(obj, chain);
    return r.ok ? 'ok' : r.reason;
  };
  it('accepts the canonical object and rejects each broken rule', () => {
    const obj = good();
    expect(reason(obj)).toBe('ok');
    expect(reason(obj, 'other-chain')).toMatch(/chain_id/);
    expect(reason({ ...obj, extra: 1 })).toMatch(/exactly the keys/);
    expect(reason({ ...obj, public_key: (obj.public_key as string).toUpperCase() })).toMatch(/public_key/);
    expect(reason({ ...obj, signature: '00'.repeat(64) })).toMatch(/does not verify/);
    expect(reason({ ...obj, message: (obj.message as string).replace('{', '{ ') })).toMatch(/canonical/);
    expect(reason({ ...obj, message: 'not json' })).toMatch(/not JSON/);
    expect(reason({ ...obj, message: 'x'.repeat(20000) })).toMatch(/exceeds/);
    expect(reason([obj])).toMatch(/JSON object/);
  });
  it('checks the message fields', () => {
    const signed = (m: JsonObject): JsonObject => {
      const message = canonicalJson(m);
      const kp = keyPairFromSeed(seed);
      return {
        message,
        public_key: bytesToHex(kp.publicKey),
        signature: bytesToHex(sign(new TextEncoder().encode(message), seed)),
      };
    };
    const base: JsonObject = {
      amount: new PyFloat(1.5),
      chain_id: chainId,
      fee: new PyFloat(0),
      from: v.sender.address,
      memo: '',
      nonce: '12',
      to: recipient,
    };
    expect(reason(signed(base))).toBe('ok');
    expect(reason(signed({ ...base, amount: 2 }))).toMatch(/float/);
    expect(reason(signed({ ...base, amount: new PyFloat(1e-7) }))).toMatch(/amount/);
    expect(reason(signed({ ...base, fee: new PyFloat(0.1) }))).toMatch(/fee/);
    expect(reason(signed({ ...base, nonce: '012' }))).toMatch(/nonce/);
    expect(reason(signed({ ...base, nonce: '9223372036854775808' }))).toMatch(/nonce/);
    expect(reason(signed({ ...base, nonce: 12 }))).toMatch(/nonce/);
    expect(reason(signed({ ...base, memo: 'x'.repeat(1025) }))).toMatch(/memo/);
    expect(reason(signed({ ...base, to: v.sender.address }))).toMatch(/to equals from/);
    expect(reason(signed({ ...base, to: 'RTC' + 'B'.repeat(40) }))).toMatch(/to is not/);
    expect(reason(signed({ ...base, chain_id: undefined as unknown as JsonValue }))).toMatch(/keys/);
    const { fee: _fee, ...legacy } = base;
    const legacyResult = validateTransferObject(signed(legacy), chainId);
    expect(legacyResult.ok && legacyResult.transfer.template).toBe('legacy');
  });
});
