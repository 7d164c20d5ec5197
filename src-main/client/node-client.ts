/**
 * The one typed HTTP client of the node API (PROTOCOL.md A.5–A.8, A.10), shared by the wallet, the
 * miner and the app. It talks to our embedded node or to a reference node alike.
 *
 * Bodies are sent as canonical JSON (so float text such as `amount_rtc` is exactly what was signed) and
 * answers are parsed with the number-preserving parser: `*_i64` values come back as `bigint`, other
 * integers as `number`, floats as `number`. Each decoded answer also carries the node's `raw` object.
 * Uses only global `fetch`, so it runs in Node and in a browser.
 */
import { canonicalJson, isJsonObject, parseJson, type JsonObject, type JsonValue } from '../protocol/canonical-json.js';

export type NodeClientErrorKind = 'unreachable' | 'timeout' | 'rejected' | 'malformed';

/**
 * `unreachable`/`timeout`: no answer (the request may or may not have reached the node — C.4 7a);
 * `rejected`: HTTP ≥ 400 with the node's JSON `body`; `malformed`: an answer that is not the expected JSON.
 */
export class NodeClientError extends Error {
  constructor(
    readonly kind: NodeClientErrorKind,
    message: string,
    readonly status?: number,
    readonly body?: JsonValue,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'NodeClientError';
  }

  /** The node's error code: `code` if the body has one, else `error`. */
  get nodeCode(): string | undefined {
    if (!isJsonObject(this.body)) return undefined;
    const c = this.body['code'] ?? this.body['error'];
    return typeof c === 'string' ? c : undefined;
  }

  /** True when the node never answered, so the outcome of a POST is unknown. */
  get noAnswer(): boolean {
    return this.kind === 'unreachable' || this.kind === 'timeout';
  }
}

export interface NodeClientOptions {
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
  /** How long `/pending/list` answers are reused against a node that is not ours (A.10; default 60 s). */
  pendingCacheMs?: number;
  /** Clock for caches; tests may pass their own. */
  now?: () => number;
}

export interface RequestOptions {
  timeoutMs?: number;
}

// ---------- decoded answers (field names as the node sends them) ----------

export interface Health {
  ok: boolean;
  version: string;
  implementation: string | null;
  uptime_s: number | null;
  tip_age_slots: number | null;
  raw: JsonObject;
}

export interface Ready {
  ready: boolean;
  version: string;
  raw: JsonObject;
}

export interface EpochInfo {
  epoch: number;
  slot: number;
  epoch_pot: number;
  enrolled_miners: number;
  blocks_per_epoch: number;
  /** Our node only (null on the reference node). */
  chain_id: string | null;
  committed_epoch: number | null;
  epoch_start: number | null;
  epoch_end: number | null;
  proposal_due: number | null;
  raw: JsonObject;
}

export interface NetworkInfo {
  chain_id: string;
  network: string;
  block_height: number;
  peer_count: number;
  version: string;
  genesis_hash: string | null;
  node_id: string | null;
  raw: JsonObject;
}

export interface Balance {
  miner_id: string;
  amount_i64: bigint;
  amount_rtc: number;
  /** Our node only. */
  pending_out_i64: bigint | null;
  available_i64: bigint | null;
  raw: JsonObject;
}

export interface History {
  miner_id: string;
  total: number;
  transactions: JsonObject[];
  raw: JsonObject;
}

export type TxState = 'pending' | 'confirmed' | 'failed' | 'not_found';

export interface TxStatus {
  tx_hash: string;
  status: TxState;
  confirmations: number;
  block_height: number | null;
  epoch: number | null;
  void_reason: string | null;
  raw: JsonObject;
}

export type PendingStatusFilter = 'pending' | 'confirmed' | 'voided' | 'all';

export interface PendingItem {
  id: number;
  ts: number;
  from_miner: string;
  to_miner: string;
  amount_rtc: number;
  status: string;
  tx_hash: string | null;
  confirms_at: number | null;
  voided_reason: string | null;
  raw: JsonObject;
}

export interface PendingList {
  count: number;
  pending: PendingItem[];
  raw: JsonObject;
}

export interface Miners {
  miners: JsonObject[];
  total: number;
  total_enrolled: number;
  raw: JsonObject;
}

export interface EpochRewards {
  epoch: number;
  rewards: { miner_id: string; share_i64: bigint; share_rtc: number }[];
  raw: JsonObject;
}

export interface Challenge {
  nonce: string;
  expires_at: number;
  bound_miner: string | null;
  server_time: number;
  raw: JsonObject;
}

export interface TransferAccepted {
  tx_hash: string;
  phase: string;
  pending_id: number | null;
  confirms_at: number | null;
  chain_id: string | null;
  raw: JsonObject;
}

// ---------- decoding helpers ----------

function malformed(what: string): NodeClientError {
  return new NodeClientError('malformed', `unexpected answer from the node: ${what}`);
}

function field(o: JsonObject, key: string): JsonValue | undefined {
  return Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
}

function str(o: JsonObject, key: string): string {
  const v = field(o, key);
  if (typeof v !== 'string') throw malformed(`"${key}" is not a string`);
  return v;
}

function optStr(o: JsonObject, key: string): string | null {
  const v = field(o, key);
  return typeof v === 'string' ? v : null;
}

/** Any JSON number (int or float) as a JS number. */
function num(o: JsonObject, key: string): number {
  const v = optNum(o, key);
  if (v === null) throw malformed(`"${key}" is not a number`);
  return v;
}

function optNum(o: JsonObject, key: string): number | null {
  const v = field(o, key);
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && !isJsonObject(v)) return v.value;
  return null;
}

/** A JSON integer that fits a JS number exactly (epochs, slots, counts, timestamps). */
function int(o: JsonObject, key: string): number {
  const v = optInt(o, key);
  if (v === null) throw malformed(`"${key}" is not an integer`);
  return v;
}

function optInt(o: JsonObject, key: string): number | null {
  const v = field(o, key);
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'bigint' && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)) {
    return Number(v);
  }
  return null;
}

/** A µRTC amount: always a bigint, never a double. */
function i64(o: JsonObject, key: string): bigint {
  const v = optI64(o, key);
  if (v === null) throw malformed(`"${key}" is not an integer`);
  return v;
}

function optI64(o: JsonObject, key: string): bigint | null {
  const v = field(o, key);
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  return null;
}

function objects(o: JsonObject, key: string): JsonObject[] {
  const v = field(o, key);
  if (!Array.isArray(v) || !v.every(isJsonObject)) throw malformed(`"${key}" is not a list of objects`);
  return v as JsonObject[];
}

function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
  const s = q.toString();
  return s === '' ? '' : '?' + s;
}

// ---------- caches shared by every client of the same node ----------

const chainIdByNode = new Map<string, string>();
const ourNodeByNode = new Map<string, boolean>();

const TX_HASH = /^[0-9a-fA-F]{32}$/;
const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

export class NodeClient {
  readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly pendingCacheMs: number;
  private readonly now: () => number;
  private readonly pendingCache = new Map<string, { at: number; value: PendingList }>();
  private pendingBlockedUntil = 0;

  constructor(baseUrl: string, options: NodeClientOptions = {}) {
    let url: URL;
    try {
      url = new URL(baseUrl);
    } catch {
      throw new Error(`not a node URL: ${baseUrl}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`not an http(s) node URL: ${baseUrl}`);
    this.baseUrl = url.origin + url.pathname.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.pendingCacheMs = options.pendingCacheMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  // ---------- reads ----------

  async health(opts?: RequestOptions): Promise<Health> {
    // 503 still carries the health object (`ok:false` when the database is not writable).
    const o = await this.getObject('/health', opts, [503]);
    return {
      ok: field(o, 'ok') === true,
      version: optStr(o, 'version') ?? '',
      implementation: optStr(o, 'implementation'),
      uptime_s: optInt(o, 'uptime_s'),
      tip_age_slots: optInt(o, 'tip_age_slots'),
      raw: o,
    };
  }

  async ready(opts?: RequestOptions): Promise<Ready> {
    const o = await this.getObject('/ready', opts, [503]);
    return { ready: field(o, 'ready') === true, version: optStr(o, 'version') ?? '', raw: o };
  }

  /** A.10: a node is ours iff `/health` reports an `implementation` starting with `rustchain-desktop/`. */
  async isOurNode(opts?: RequestOptions): Promise<boolean> {
    const known = ourNodeByNode.get(this.baseUrl);
    if (known !== undefined) return known;
    const h = await this.health(opts);
    const ours = h.implementation?.startsWith('rustchain-desktop/') ?? false;
    ourNodeByNode.set(this.baseUrl, ours);
    return ours;
  }

  async epoch(opts?: RequestOptions): Promise<EpochInfo> {
    const o = await this.getObject('/epoch', opts);
    return {
      epoch: int(o, 'epoch'),
      slot: int(o, 'slot'),
      epoch_pot: num(o, 'epoch_pot'),
      enrolled_miners: int(o, 'enrolled_miners'),
      blocks_per_epoch: int(o, 'blocks_per_epoch'),
      chain_id: optStr(o, 'chain_id'),
      committed_epoch: optInt(o, 'committed_epoch'),
      epoch_start: optInt(o, 'epoch_start'),
      epoch_end: optInt(o, 'epoch_end'),
      proposal_due: optInt(o, 'proposal_due'),
      raw: o,
    };
  }

  async networkInfo(opts?: RequestOptions): Promise<NetworkInfo> {
    const o = await this.getObject('/network/info', opts);
    const info: NetworkInfo = {
      chain_id: str(o, 'chain_id'),
      network: optStr(o, 'network') ?? '',
      block_height: optInt(o, 'block_height') ?? 0,
      peer_count: optInt(o, 'peer_count') ?? 0,
      version: optStr(o, 'version') ?? '',
      genesis_hash: optStr(o, 'genesis_hash'),
      node_id: optStr(o, 'node_id'),
      raw: o,
    };
    chainIdByNode.set(this.baseUrl, info.chain_id);
    return info;
  }

  /** The node's chain id (C.4 step 3), fetched once per node and cached. */
  async chainId(opts?: RequestOptions): Promise<string> {
    return chainIdByNode.get(this.baseUrl) ?? (await this.networkInfo(opts)).chain_id;
  }

  async balance(id: string, opts?: RequestOptions): Promise<Balance> {
    const o = await this.getObject('/wallet/balance' + query({ miner_id: id }), opts);
    return {
      miner_id: optStr(o, 'miner_id') ?? id,
      amount_i64: i64(o, 'amount_i64'),
      amount_rtc: optNum(o, 'amount_rtc') ?? 0,
      pending_out_i64: optI64(o, 'pending_out_i64'),
      available_i64: optI64(o, 'available_i64'),
      raw: o,
    };
  }

  async history(id: string, page: { limit?: number; offset?: number } = {}, opts?: RequestOptions): Promise<History> {
    const o = await this.getObject(
      '/wallet/history' + query({ miner_id: id, limit: page.limit, offset: page.offset }),
      opts,
    );
    return {
      miner_id: optStr(o, 'miner_id') ?? id,
      total: int(o, 'total'),
      transactions: objects(o, 'transactions'),
      raw: o,
    };
  }

  /** Status of a transfer; an unknown hash is `not_found` (not an error: C.4 7a polls through 404s). */
  async tx(hash: string, opts?: RequestOptions): Promise<TxStatus> {
    if (!TX_HASH.test(hash)) throw new Error('tx_hash must be exactly 32 hexadecimal characters');
    const lower = hash.toLowerCase();
    const { status, body } = await this.request('GET', `/wallet/tx/${lower}`, undefined, opts, [404]);
    const o = this.expectObject(body);
    if (status === 404) {
      if (field(o, 'error') !== 'transaction_not_found' && field(o, 'status') !== 'not_found') {
        throw new NodeClientError('rejected', 'the node answered 404', 404, body);
      }
      return {
        tx_hash: lower,
        status: 'not_found',
        confirmations: 0,
        block_height: null,
        epoch: null,
        void_reason: null,
        raw: o,
      };
    }
    const s = str(o, 'status');
    if (s !== 'pending' && s !== 'confirmed' && s !== 'failed') throw malformed(`unknown transfer status "${s}"`);
    return {
      tx_hash: optStr(o, 'tx_hash') ?? lower,
      status: s,
      confirmations: optInt(o, 'confirmations') ?? 0,
      block_height: optInt(o, 'block_height'),
      epoch: optInt(o, 'epoch'),
      void_reason: optStr(o, 'void_reason'),
      raw: o,
    };
  }

  /**
   * `/pending/list`. Against a node that is not ours the answer is cached for `pendingCacheMs` and a
   * 429 `Retry-After` is honoured (A.10: the reference node throttles this route); while throttled the
   * cached answer is returned if there is one.
   */
  async pendingList(
    filter: { minerId?: string; status?: PendingStatusFilter; limit?: number } = {},
    opts?: RequestOptions,
  ): Promise<PendingList> {
    const path = '/pending/list' + query({ miner_id: filter.minerId, status: filter.status, limit: filter.limit });
    const ours = await this.isOurNode(opts).catch(() => false);
    const cached = this.pendingCache.get(path);
    const t = this.now();
    if (!ours) {
      if (cached && t - cached.at < this.pendingCacheMs) return cached.value;
      if (t < this.pendingBlockedUntil) {
        if (cached) return cached.value;
        throw new NodeClientError(
          'rejected',
          'the node rate-limits /pending/list; retry later',
          429,
          undefined,
          Math.ceil((this.pendingBlockedUntil - t) / 1000),
        );
      }
    }
    let o: JsonObject;
    try {
      o = await this.getObject(path, opts);
    } catch (e) {
      if (e instanceof NodeClientError && e.status === 429) {
        this.pendingBlockedUntil = t + (e.retryAfterSeconds ?? 60) * 1000;
        if (cached) return cached.value;
      }
      throw e;
    }
    const value: PendingList = {
      count: optInt(o, 'count') ?? 0,
      pending: objects(o, 'pending').map((p) => ({
        id: optInt(p, 'id') ?? 0,
        ts: optInt(p, 'ts') ?? 0,
        from_miner: str(p, 'from_miner'),
        to_miner: str(p, 'to_miner'),
        amount_rtc: optNum(p, 'amount_rtc') ?? 0,
        status: str(p, 'status'),
        tx_hash: optStr(p, 'tx_hash'),
        confirms_at: optInt(p, 'confirms_at'),
        voided_reason: optStr(p, 'voided_reason'),
        raw: p,
      })),
      raw: o,
    };
    if (!ours) this.pendingCache.set(path, { at: t, value });
    return value;
  }

  async miners(page: { limit?: number; offset?: number } = {}, opts?: RequestOptions): Promise<Miners> {
    const o = await this.getObject('/api/miners' + query({ limit: page.limit, offset: page.offset }), opts);
    const p = field(o, 'pagination');
    const pagination = isJsonObject(p) ? p : {};
    return {
      miners: objects(o, 'miners'),
      total: optInt(pagination, 'total') ?? 0,
      total_enrolled: optInt(pagination, 'total_enrolled') ?? 0,
      raw: o,
    };
  }

  async epochRewards(
    epoch: number,
    page: { limit?: number; offset?: number } = {},
    opts?: RequestOptions,
  ): Promise<EpochRewards> {
    if (!Number.isSafeInteger(epoch) || epoch < 0) throw new Error('epoch must be a non-negative integer');
    const o = await this.getObject(`/rewards/epoch/${epoch}` + query({ limit: page.limit, offset: page.offset }), opts);
    return {
      epoch: optInt(o, 'epoch') ?? epoch,
      rewards: objects(o, 'rewards').map((r) => ({
        miner_id: str(r, 'miner_id'),
        share_i64: i64(r, 'share_i64'),
        share_rtc: optNum(r, 'share_rtc') ?? 0,
      })),
      raw: o,
    };
  }

  // ---------- writes ----------

  /** `POST /attest/challenge`, bound to `miner` when given (A.10). */
  async challenge(miner?: string, opts?: RequestOptions): Promise<Challenge> {
    const o = await this.postObject('/attest/challenge', miner === undefined ? {} : { miner }, opts);
    return {
      nonce: str(o, 'nonce'),
      expires_at: int(o, 'expires_at'),
      bound_miner: optStr(o, 'bound_miner'),
      server_time: int(o, 'server_time'),
      raw: o,
    };
  }

  /** `POST /attest/submit`; the miner interprets the answer. */
  async submitAttestation(body: JsonObject, opts?: RequestOptions): Promise<JsonObject> {
    return this.postObject('/attest/submit', body, opts);
  }

  /** `POST /epoch/enroll`; a 412 is a `rejected` error the miner tolerates (A.10). */
  async enroll(body: JsonObject, opts?: RequestOptions): Promise<JsonObject> {
    return this.postObject('/epoch/enroll', body, opts);
  }

  /** `POST /wallet/transfer/signed` with a body built by the signer (sent byte-for-byte canonical). */
  async sendSignedTransfer(body: JsonObject, opts?: RequestOptions): Promise<TransferAccepted> {
    const o = await this.postObject('/wallet/transfer/signed', body, opts);
    return {
      tx_hash: str(o, 'tx_hash').toLowerCase(),
      phase: optStr(o, 'phase') ?? 'pending',
      pending_id: optInt(o, 'pending_id'),
      confirms_at: optInt(o, 'confirms_at'),
      chain_id: optStr(o, 'chain_id'),
      raw: o,
    };
  }

  // ---------- transport ----------

  async getObject(path: string, opts?: RequestOptions, okStatuses: number[] = []): Promise<JsonObject> {
    return this.expectObject((await this.request('GET', path, undefined, opts, okStatuses)).body);
  }

  async postObject(path: string, body: JsonObject, opts?: RequestOptions): Promise<JsonObject> {
    return this.expectObject((await this.request('POST', path, body, opts)).body);
  }

  private expectObject(body: JsonValue): JsonObject {
    if (!isJsonObject(body)) throw malformed('the body is not a JSON object');
    return body;
  }

  /**
   * One HTTP exchange. A status ≥ 400 not listed in `okStatuses` throws `rejected` with the node's
   * parsed body (or `undefined` if the body was not JSON).
   */
  async request(
    method: 'GET' | 'POST',
    path: string,
    body: JsonValue | undefined,
    opts: RequestOptions = {},
    okStatuses: number[] = [],
  ): Promise<{ status: number; body: JsonValue }> {
    const url = this.baseUrl + path;
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    const init: RequestInit = {
      method,
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'application/json' },
    };
    if (body !== undefined) {
      init.body = canonicalJson(body);
      init.headers = { accept: 'application/json', 'content-type': 'application/json' };
    }
    let res: Response;
    let bytes: Uint8Array;
    try {
      res = await fetch(url, init);
      bytes = new Uint8Array(await res.arrayBuffer());
    } catch (e) {
      throw transportError(e, method, url, timeoutMs);
    }
    if (bytes.length > MAX_RESPONSE_BYTES) throw malformed('the answer is too large');
    let parsed: JsonValue | undefined;
    try {
      parsed = parseJson(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch {
      parsed = undefined;
    }
    if (res.status >= 400 && !okStatuses.includes(res.status)) {
      const retry = Number(res.headers.get('retry-after'));
      throw new NodeClientError(
        'rejected',
        `${method} ${path} → HTTP ${res.status}${describeNodeError(parsed)}`,
        res.status,
        parsed,
        Number.isFinite(retry) && retry > 0 ? retry : undefined,
      );
    }
    if (parsed === undefined) {
      const err = malformed(`${method} ${path} → HTTP ${res.status} without a JSON body`);
      throw new NodeClientError('malformed', err.message, res.status);
    }
    return { status: res.status, body: parsed };
  }
}

function describeNodeError(body: JsonValue | undefined): string {
  if (!isJsonObject(body)) return '';
  const parts = [body['error'], body['code']].filter((x): x is string => typeof x === 'string');
  return parts.length > 0 ? `: ${parts.join(' / ')}` : '';
}

function transportError(e: unknown, method: string, url: string, timeoutMs: number): NodeClientError {
  const name = e instanceof Error ? e.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new NodeClientError('timeout', `${method} ${url}: no answer within ${timeoutMs} ms`);
  }
  const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : '';
  return new NodeClientError('unreachable', `${method} ${url}: node unreachable${cause}`);
}

/** Forget cached chain ids and node kinds (a node restarted on the same URL with a new chain). */
export function clearNodeCaches(baseUrl?: string): void {
  if (baseUrl === undefined) {
    chainIdByNode.clear();
    ourNodeByNode.clear();
  } else {
    const key = new NodeClient(baseUrl).baseUrl;
    chainIdByNode.delete(key);
    ourNodeByNode.delete(key);
  }
}
