/**
 * A client for the Ergo node REST API calls that anchoring uses (PROTOCOL.md B.9): mode `send`, mode
 * `sign`, and the look-up of an anchor that may already exist. Every failure is an ErgoRequestError that
 * says whether the request may have reached the Ergo node, which decides if a look-up must precede a
 * re-send. The api key and wallet password never appear in error messages.
 */
import { ergoR4, ergoR5, ergoSendRequest } from '../../protocol/epoch/anchor.js';
import type { ErgoConfig } from './config.js';

export type ErgoFailureKind = 'unreachable' | 'no_reply' | 'http' | 'malformed';

export class ErgoRequestError extends Error {
  constructor(
    readonly kind: ErgoFailureKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ErgoRequestError';
  }

  /** A timeout, a dropped connection or an unreadable 200 may hide a transaction that was made. */
  get mayHaveReached(): boolean {
    return this.kind === 'no_reply' || this.kind === 'malformed';
  }
}

/** What the anchor queue needs from Ergo; tests of the queue may pass a different implementation. */
export interface AnchorSubmitter {
  /** Creates the anchor transaction for `epoch`; resolves to its Ergo transaction id. */
  submit(epoch: number, epochHash: string): Promise<string>;
  /** The id of a wallet or mempool transaction with an output whose R4 holds `epochHash`, or null. */
  findAnchor(epochHash: string): Promise<string | null>;
}

export interface ErgoClientOptions {
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
}

/** Socket errors raised before any byte of the request could have been sent. */
const NOT_CONNECTED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

const TX_ID = /^[0-9a-fA-F]{64}$/;
/** Pages of `/transactions/unconfirmed` read per look-up; bounds the work on a flooded mempool. */
const MAX_MEMPOOL_PAGES = 20;
const MEMPOOL_PAGE = 100;

function errorCode(err: unknown): string | undefined {
  const cause = (err as { cause?: unknown }).cause ?? err;
  const code = (cause as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  const inner = (cause as { errors?: unknown[] }).errors?.[0];
  const innerCode = (inner as { code?: unknown } | undefined)?.code;
  return typeof innerCode === 'string' ? innerCode : undefined;
}

function describeErgoError(status: number, text: string): string {
  try {
    const body = JSON.parse(text) as { reason?: unknown; detail?: unknown };
    const parts = [body.reason, body.detail].filter((x) => typeof x === 'string' && x !== '');
    if (parts.length > 0) return `Ergo HTTP ${status}: ${parts.join(': ')}`.slice(0, 500);
  } catch {
    // not Ergo's error JSON; fall through
  }
  return `Ergo HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function txIdOf(body: unknown, what: string): string {
  if (typeof body !== 'string' || !TX_ID.test(body)) {
    throw new ErgoRequestError(
      'malformed',
      `${what}: expected a transaction id, got ${JSON.stringify(body)?.slice(0, 100)}`,
    );
  }
  return body.toLowerCase();
}

/** A register value is serialised hex; some Ergo versions wrap it as `{serializedValue}`. */
function registerHex(v: unknown): string | undefined {
  if (typeof v === 'string') return v.toLowerCase();
  if (isObject(v) && typeof v.serializedValue === 'string') return v.serializedValue.toLowerCase();
  return undefined;
}

function findInTransactions(txs: unknown, r4: string): string | null {
  if (!Array.isArray(txs)) throw new ErgoRequestError('malformed', 'expected a list of transactions');
  for (const tx of txs) {
    if (!isObject(tx) || typeof tx.id !== 'string' || !Array.isArray(tx.outputs)) continue;
    for (const out of tx.outputs) {
      if (isObject(out) && isObject(out.additionalRegisters) && registerHex(out.additionalRegisters.R4) === r4) {
        if (TX_ID.test(tx.id)) return tx.id.toLowerCase();
      }
    }
  }
  return null;
}

export class ErgoClient implements AnchorSubmitter {
  private readonly base: string;
  private readonly timeoutMs: number;

  constructor(
    private readonly config: ErgoConfig,
    opts: ErgoClientOptions = {},
  ) {
    this.base = config.url.replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? 30_000;
  }

  async submit(epoch: number, epochHash: string): Promise<string> {
    return this.config.mode === 'sign' ? this.signAndBroadcast(epoch, epochHash) : this.send(epoch, epochHash);
  }

  async findAnchor(epochHash: string): Promise<string | null> {
    const r4 = ergoR4(epochHash);
    const inWallet = findInTransactions(await this.request('GET', '/wallet/transactions'), r4);
    if (inWallet) return inWallet;
    for (let page = 0; page < MAX_MEMPOOL_PAGES; page++) {
      const txs = await this.request(
        'GET',
        `/transactions/unconfirmed?limit=${MEMPOOL_PAGE}&offset=${page * MEMPOOL_PAGE}`,
      );
      const found = findInTransactions(txs, r4);
      if (found) return found;
      if ((txs as unknown[]).length < MEMPOOL_PAGE) break;
    }
    return null;
  }

  private async send(epoch: number, epochHash: string): Promise<string> {
    const body = ergoSendRequest({
      address: this.config.address,
      valueNanoerg: this.config.value_nanoerg,
      feeNanoerg: this.config.fee_nanoerg,
      epoch,
      epochHash,
    });
    return txIdOf(await this.request('POST', '/wallet/transaction/send', body), 'wallet/transaction/send');
  }

  /** Mode `sign` (B.9): build the two-output transaction from an unspent wallet box, sign, broadcast. */
  private async signAndBroadcast(epoch: number, epochHash: string): Promise<string> {
    const value = this.config.value_nanoerg;
    const status = await this.request('GET', '/wallet/status');
    if (!isObject(status) || typeof status.isUnlocked !== 'boolean') {
      throw new ErgoRequestError('malformed', 'wallet/status: expected {isUnlocked}');
    }
    if (!status.isUnlocked) {
      await this.request('POST', '/wallet/unlock', { pass: this.config.wallet_password ?? '' });
    }
    const unspent = await this.request('GET', '/wallet/boxes/unspent?minConfirmations=1');
    if (!Array.isArray(unspent)) throw new ErgoRequestError('malformed', 'wallet/boxes/unspent: expected a list');
    let input: { boxId: string; value: number; ergoTree: string } | undefined;
    for (const entry of unspent) {
      const box = isObject(entry) && isObject(entry.box) ? entry.box : entry;
      if (
        isObject(box) &&
        typeof box.boxId === 'string' &&
        typeof box.value === 'number' &&
        typeof box.ergoTree === 'string' &&
        box.value >= 2 * value
      ) {
        input = { boxId: box.boxId, value: box.value, ergoTree: box.ergoTree };
        break;
      }
    }
    if (!input) {
      throw new ErgoRequestError('http', `no unspent wallet box holds at least ${2 * value} nanoERG`);
    }
    const raw = await this.request('GET', `/utxo/byIdBinary/${encodeURIComponent(input.boxId)}`);
    if (!isObject(raw) || typeof raw.bytes !== 'string') {
      throw new ErgoRequestError('malformed', 'utxo/byIdBinary: expected {bytes}');
    }
    const info = await this.request('GET', '/info');
    if (!isObject(info) || typeof info.fullHeight !== 'number') {
      throw new ErgoRequestError('malformed', 'info: expected {fullHeight}');
    }
    const height = info.fullHeight;
    const unsigned = {
      tx: {
        inputs: [{ boxId: input.boxId, extension: {} }],
        dataInputs: [],
        outputs: [
          {
            value,
            ergoTree: input.ergoTree,
            creationHeight: height,
            assets: [],
            additionalRegisters: { R4: ergoR4(epochHash), R5: ergoR5(epoch) },
          },
          {
            value: input.value - value,
            ergoTree: input.ergoTree,
            creationHeight: height,
            assets: [],
            additionalRegisters: {},
          },
        ],
      },
      inputsRaw: [raw.bytes],
      dataInputsRaw: [],
    };
    const signed = await this.request('POST', '/wallet/transaction/sign', unsigned);
    if (!isObject(signed)) throw new ErgoRequestError('malformed', 'wallet/transaction/sign: expected a transaction');
    return txIdOf(await this.request('POST', '/transactions', signed), 'transactions');
  }

  private async request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const headers: Record<string, string> = { api_key: this.config.api_key, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    let text: string;
    try {
      res = await fetch(this.base + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      const code = errorCode(err);
      if (code && NOT_CONNECTED.has(code)) {
        throw new ErgoRequestError('unreachable', `Ergo node unreachable (${code})`);
      }
      const reason =
        (err as Error).name === 'TimeoutError' ? 'timed out' : `connection lost (${code ?? (err as Error).message})`;
      throw new ErgoRequestError('no_reply', `${method} ${path.split('?')[0]}: ${reason}`);
    }
    if (res.status !== 200) throw new ErgoRequestError('http', describeErgoError(res.status, text), res.status);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new ErgoRequestError('malformed', `${method} ${path.split('?')[0]}: reply is not JSON`);
    }
  }
}
