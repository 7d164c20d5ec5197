/**
 * The wallet (PROTOCOL.md Part C) over a home directory: keystores, mnemonics, restore candidates,
 * unlocking with auto-lock and password throttling, transfers, the address book and message signing.
 *
 * UI-agnostic: the app API and the CLI both drive it. Secret keys never leave this class — no method
 * returns a seed, and the only time a mnemonic is returned is from `create`, once.
 * Events: `unlocked` {address}, `locked` {address, reason}, `transfer-status` (TransferStatusEvent).
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { NodeClientError, type NodeClient, type TxStatus } from '../client/node-client.js';
import { microOfFloat, parseUserAmount, walletAmountText } from '../protocol/amounts.js';
import { bytesToHex } from '../protocol/bytes.js';
import { isJsonObject } from '../protocol/canonical-json.js';
import { addressFromPublicKey, keyPairFromSeed } from '../protocol/keys.js';
import {
  DERIVATION_RULES,
  deriveSeed,
  MnemonicError,
  mnemonicFromEntropy,
  validateMnemonic,
  type DerivationRule,
} from '../protocol/mnemonic.js';
import { signMessage, verifyMessage, type SignedMessage } from '../protocol/signed-message.js';
import { CHAIN_ID_FORMAT, MAX_MEMO_CODE_POINTS, signTransfer } from '../protocol/transfer.js';
import { AddressBook, normaliseRecipient } from './address-book.js';
import { WalletError } from './errors.js';
import { walletsDir } from '../platform/home.js';
import {
  DEFAULT_SCRYPT,
  decryptKeystore,
  encryptKeystore,
  type KeystoreDerivation,
  type KeystoreFormat,
  type ScryptParams,
} from './keystore.js';
import {
  KeystoreStore,
  asWalletError,
  canonicalAddress,
  summaryOf,
  type KeystoreSummary,
  type LoadedKeystore,
} from './keystore-store.js';
import { NonceStore } from './nonce-store.js';
import { PasswordThrottle } from './throttle.js';

export interface WalletServiceOptions {
  home: string;
  /** Lock after this long without use (default 5 minutes; 0 = never). */
  autoLockMs?: number;
  /** scrypt parameters for new v2 keystores (default: C.3.2). */
  scrypt?: ScryptParams;
  now?: () => number;
}

export interface CreatedWallet {
  address: string;
  publicKey: string;
  keystore: string;
  format: KeystoreFormat;
  derivation: DerivationRule;
}

export interface RestoreCandidate {
  rule: DerivationRule;
  address: string;
  publicKey: string;
  /** Confirmed balance; null when the node could not be asked. */
  amount_i64: bigint | null;
  active: boolean;
}

export interface RestoreCandidates {
  candidates: RestoreCandidate[];
  /** C.2: the only active one; lightclient if none is; null if several are (the user must choose). */
  preselected: DerivationRule | null;
  nodeUnreachable: boolean;
}

/** Exactly the fields that will be signed (A.5.3 current template), plus the µRTC amount they stand for. */
export interface TransferReview {
  from: string;
  to: string;
  /** A: the amount text that is signed and sent. */
  amount: string;
  amount_i64: bigint;
  fee: '0.0';
  memo: string;
  chain_id: string;
}

export interface SendResult {
  tx_hash: string;
  tx_id: string;
  nonce: bigint;
  from: string;
  to: string;
  amount_i64: bigint;
  chain_id: string;
  /** `pending`: the node accepted it. `unknown`: no answer (C.4 7a) — do not re-send; track `tx_hash`. */
  phase: 'pending' | 'unknown';
  /** With `unknown`: whether the connection failed or the answer did not come in time. */
  no_answer?: 'unreachable' | 'timeout';
}

export interface TransferStatusEvent {
  tx_hash: string;
  from: string | null;
  status: 'pending' | 'confirmed' | 'failed' | 'unknown' | 'not_found';
  epoch: number | null;
  void_reason: string | null;
}

export interface TrackOptions {
  /** Poll `/wallet/tx` at least this often (C.4 step 7: 30 s). */
  pollMs?: number;
  /** Check `/epoch` this often and poll the transfer at once on a new epoch. */
  epochPollMs?: number;
  /** Give up (WalletError `timeout`) after this long. */
  timeoutMs?: number;
  /** 7a: how long a 404 is tolerated before the transfer counts as never received. Default: 2 slots on our node, 20 min otherwise. */
  notFoundGraceMs?: number;
  signal?: AbortSignal;
  from?: string;
}

const DEFAULT_AUTO_LOCK_MS = 5 * 60_000;
const REFERENCE_NOT_FOUND_GRACE_MS = 20 * 60_000;

function codePointLength(s: string): number {
  return [...s].length;
}

/** Maps a node-client failure to the wallet's (= E.1) codes. */
export function nodeFailure(e: unknown): unknown {
  if (!(e instanceof NodeClientError)) return e;
  if (e.kind === 'unreachable') return new WalletError('node_unreachable', e.message);
  if (e.kind === 'timeout') return new WalletError('timeout', e.message);
  const extra: Record<string, unknown> = {};
  if (e.status !== undefined) extra['status'] = e.status;
  if (e.body !== undefined) extra['node_error'] = e.body;
  return new WalletError('node_rejected', e.message, extra);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export class WalletService extends EventEmitter {
  readonly home: string;
  readonly dir: string;
  readonly keystores: KeystoreStore;
  readonly nonces: NonceStore;
  readonly addressBook: AddressBook;
  private readonly throttle: PasswordThrottle;
  private readonly autoLockMs: number;
  private readonly scrypt: ScryptParams;
  private readonly now: () => number;
  private unlocked: { address: string; seed: Uint8Array } | null = null;
  private autoLockTimer: NodeJS.Timeout | null = null;

  constructor(options: WalletServiceOptions) {
    super();
    this.home = options.home;
    this.dir = walletsDir(options.home);
    this.keystores = new KeystoreStore(this.dir);
    this.now = options.now ?? Date.now;
    this.nonces = new NonceStore(this.dir, this.now);
    this.addressBook = new AddressBook(this.dir);
    this.throttle = new PasswordThrottle(this.now);
    this.autoLockMs = options.autoLockMs ?? DEFAULT_AUTO_LOCK_MS;
    this.scrypt = options.scrypt ?? DEFAULT_SCRYPT;
  }

  // ---------- keystores ----------

  list(): KeystoreSummary[] {
    return this.keystores.list();
  }

  /** Header of a keystore (no password needed): E.3 `wallet address`. `ref` is an address or a file. */
  describe(ref?: string): KeystoreSummary & { publicKey: string } {
    const { parsed, path } = this.keystores.select(ref);
    return { ...summaryOf(parsed, path), publicKey: parsed.publicKeyHex };
  }

  /** 24 words from 256 bits of CSPRNG entropy (C.1). Not stored anywhere. */
  generateMnemonic(): string {
    return mnemonicFromEntropy(new Uint8Array(randomBytes(32)));
  }

  /**
   * E.3 `wallet create`: a new mnemonic and its keystore (v2: `lightclient_sha256`; v1: the reference
   * CLI's `cli_slip10_master`, C.3.1). The mnemonic is returned this once and never stored.
   */
  async create(args: {
    password: string;
    passphrase?: string;
    name?: string;
    format?: KeystoreFormat;
  }): Promise<CreatedWallet & { mnemonic: string }> {
    const format = args.format ?? 'v2';
    const mnemonic = this.generateMnemonic();
    const rule: DerivationRule = format === 'v1' ? 'cli_slip10_master' : 'lightclient_sha256';
    const created = await this.restore({
      mnemonic,
      passphrase: args.passphrase,
      rule,
      password: args.password,
      name: args.name,
      format,
    });
    return { ...created, mnemonic };
  }

  /** The three candidate accounts of a phrase (C.2), without asking a node. */
  deriveCandidates(mnemonic: string, passphrase = ''): { rule: DerivationRule; address: string; publicKey: string }[] {
    this.validate(mnemonic);
    return DERIVATION_RULES.map((rule) => {
      const seed = deriveSeed(rule, mnemonic, passphrase);
      const { publicKey } = keyPairFromSeed(seed);
      seed.fill(0);
      return { rule, address: addressFromPublicKey(publicKey), publicKey: bytesToHex(publicKey) };
    });
  }

  /** C.2 restore flow: balance, history and pending entries of each derivation, and the pre-selection. */
  async restoreCandidates(mnemonic: string, passphrase: string, client: NodeClient): Promise<RestoreCandidates> {
    const derived = this.deriveCandidates(mnemonic, passphrase);
    let nodeUnreachable = false;
    const candidates: RestoreCandidate[] = [];
    for (const d of derived) {
      if (nodeUnreachable) {
        candidates.push({ ...d, amount_i64: null, active: false });
        continue;
      }
      try {
        const [balance, history, pending] = await Promise.all([
          client.balance(d.address),
          client.history(d.address, { limit: 1 }),
          client.pendingList({ minerId: d.address, status: 'all', limit: 1 }),
        ]);
        const active = balance.amount_i64 > 0n || history.total > 0 || pending.pending.length > 0 || pending.count > 0;
        candidates.push({ ...d, amount_i64: balance.amount_i64, active });
      } catch (e) {
        if (e instanceof NodeClientError && e.noAnswer) {
          nodeUnreachable = true;
          candidates.push({ ...d, amount_i64: null, active: false });
          continue;
        }
        throw nodeFailure(e);
      }
    }
    const active = candidates.filter((c) => c.active);
    const preselected: DerivationRule | null =
      active.length === 1 ? (active[0] as RestoreCandidate).rule : active.length === 0 ? 'lightclient_sha256' : null;
    return { candidates, preselected, nodeUnreachable };
  }

  /** Writes the keystore of `rule` for a phrase. Never overwrites (`file_exists`). */
  async restore(args: {
    mnemonic: string;
    passphrase?: string;
    rule: DerivationRule;
    password: string;
    name?: string;
    format?: KeystoreFormat;
  }): Promise<CreatedWallet> {
    this.validate(args.mnemonic);
    const format = args.format ?? 'v2';
    const seed = deriveSeed(args.rule, args.mnemonic, args.passphrase ?? '');
    try {
      return await this.writeNewKeystore(seed, args.password, format, args.rule, args.name);
    } finally {
      seed.fill(0);
    }
  }

  private async writeNewKeystore(
    seed: Uint8Array,
    password: string,
    format: KeystoreFormat,
    derivation: KeystoreDerivation,
    name?: string,
  ): Promise<CreatedWallet & { derivation: DerivationRule }> {
    const address = addressFromPublicKey(keyPairFromSeed(seed).publicKey);
    const path = this.keystores.pathOf(address);
    // Checked before the slow KDF so a duplicate answers at once; the atomic create checks again.
    if (existsSync(path)) {
      throw new WalletError('file_exists', `${path} already exists; it is never overwritten`, { path });
    }
    const obj = await encryptKeystore(seed, password, {
      format,
      name: name ?? address,
      derivation,
      scrypt: this.scrypt,
    });
    const keystore = this.keystores.create(obj, path);
    return { address, publicKey: obj.public_key_hex, keystore, format, derivation: derivation as DerivationRule };
  }

  /** E.3 `wallet import`: verifies the file with its password, then copies it unchanged. */
  async importKeystore(file: string, password: string): Promise<KeystoreSummary & { publicKey: string }> {
    const loaded = this.keystores.load(this.keystores.resolve(file));
    const seed = await this.decrypt(loaded, password);
    seed.fill(0);
    const path = this.keystores.importText(loaded.parsed.address, loaded.text);
    return { ...summaryOf(loaded.parsed, path), publicKey: loaded.parsed.publicKeyHex };
  }

  /**
   * E.3 `wallet export`: re-encrypts with the same password, fresh salt and nonce, in `format`
   * (default: the keystore's own); never overwrites `out`.
   */
  async exportKeystore(
    ref: string | undefined,
    password: string,
    out: string,
    format?: KeystoreFormat,
  ): Promise<{ address: string; keystore: string; format: KeystoreFormat }> {
    const loaded = this.keystores.select(ref);
    const target = this.keystores.resolve(out);
    if (existsSync(target))
      throw new WalletError('file_exists', `${target} already exists; it is never overwritten`, { path: target });
    const seed = await this.decrypt(loaded, password);
    const fmt = format ?? loaded.parsed.format;
    try {
      const obj = await encryptKeystore(seed, password, {
        format: fmt,
        name: loaded.parsed.name,
        // A v1 file does not say how its key was made.
        derivation: loaded.parsed.derivation ?? 'imported_seed',
        scrypt: this.scrypt,
        createdAt: loaded.parsed.createdAt ?? undefined,
      });
      this.keystores.create(obj, target);
    } finally {
      seed.fill(0);
    }
    return { address: canonicalAddress(loaded.parsed.address), keystore: target, format: fmt };
  }

  /** A byte-for-byte copy of the keystore (default `<wallets>/backups/`); returns its path. */
  backupKeystore(ref?: string, destDir?: string): string {
    const loaded = this.keystores.select(ref);
    return this.keystores.backup(loaded.path, loaded.parsed.address, destDir);
  }

  /**
   * New password: the old file is first copied to backups/, then the keystore is replaced atomically
   * by a fresh encryption (same format, name, derivation and created_at).
   */
  async changePassword(
    ref: string | undefined,
    oldPassword: string,
    newPassword: string,
  ): Promise<{ keystore: string; backup: string }> {
    const loaded = this.keystores.select(ref);
    const seed = await this.decrypt(loaded, oldPassword);
    try {
      const obj = await encryptKeystore(seed, newPassword, {
        format: loaded.parsed.format,
        name: loaded.parsed.name,
        derivation: loaded.parsed.derivation ?? 'imported_seed',
        scrypt: this.scrypt,
        createdAt: loaded.parsed.createdAt ?? undefined,
      });
      const backup = this.keystores.replaceWithBackup(loaded.path, loaded.parsed.address, obj);
      return { keystore: loaded.path, backup };
    } finally {
      seed.fill(0);
    }
  }

  // ---------- lock state ----------

  get isUnlocked(): boolean {
    return this.unlocked !== null;
  }

  get unlockedAddress(): string | null {
    return this.unlocked?.address ?? null;
  }

  /** Decrypts the keystore and keeps its key in memory until `lock()` or the auto-lock. */
  async unlock(ref: string, password: string): Promise<string> {
    const loaded = this.keystores.select(ref);
    const seed = await this.decrypt(loaded, password);
    this.lock('switch');
    const address = canonicalAddress(loaded.parsed.address);
    this.unlocked = { address, seed };
    this.touch();
    this.emit('unlocked', { address });
    return address;
  }

  /** Checks a password without unlocking. */
  async verifyPassword(ref: string, password: string): Promise<void> {
    (await this.decrypt(this.keystores.select(ref), password)).fill(0);
  }

  lock(reason: 'user' | 'auto' | 'switch' = 'user'): void {
    if (this.autoLockTimer) clearTimeout(this.autoLockTimer);
    this.autoLockTimer = null;
    if (!this.unlocked) return;
    const { address, seed } = this.unlocked;
    seed.fill(0);
    this.unlocked = null;
    this.emit('locked', { address, reason });
  }

  /** Counts as activity: restarts the auto-lock timer. */
  touch(): void {
    if (!this.unlocked || this.autoLockMs <= 0) return;
    if (this.autoLockTimer) clearTimeout(this.autoLockTimer);
    this.autoLockTimer = setTimeout(() => this.lock('auto'), this.autoLockMs);
    this.autoLockTimer.unref?.();
  }

  /** Stops timers and forgets the key (app shutdown). */
  close(): void {
    this.lock('user');
  }

  // ---------- transfers ----------

  /** C.4 steps 1–3 and 5: checks the input and returns exactly what will be signed (the nonce is chosen at send). */
  async composeTransfer(args: {
    from: string;
    to: string;
    amount: string | bigint;
    memo?: string;
    chainId?: string;
    client?: NodeClient;
  }): Promise<TransferReview> {
    const amountI64 = typeof args.amount === 'bigint' ? args.amount : parseUserAmount(args.amount);
    if (amountI64 === null || amountI64 < 1n) {
      throw new WalletError('invalid_amount', 'an amount is RTC with at most 6 decimals, from 0.000001 to 8388608');
    }
    let amount: string;
    try {
      amount = walletAmountText(amountI64);
    } catch (e) {
      throw new WalletError('invalid_amount', (e as Error).message);
    }
    const from = canonicalAddress(this.keystores.select(args.from).parsed.address);
    const to = normaliseRecipient(args.to);
    if (to === from) throw new WalletError('invalid_address', 'the recipient is the sending address');
    const memo = args.memo ?? '';
    if (codePointLength(memo) > MAX_MEMO_CODE_POINTS)
      throw new WalletError('invalid_memo', 'a memo has at most 1024 characters');
    let chainId = args.chainId;
    if (chainId === undefined) {
      if (!args.client) throw new WalletError('usage', 'a chain id or a node is needed');
      try {
        chainId = await args.client.chainId();
      } catch (e) {
        throw nodeFailure(e);
      }
    }
    if (!CHAIN_ID_FORMAT.test(chainId)) throw new WalletError('usage', `malformed chain id ${JSON.stringify(chainId)}`);
    this.touch();
    return { from, to, amount, amount_i64: amountI64, fee: '0.0', memo, chain_id: chainId };
  }

  /**
   * C.4 steps 4–7a: reserve a nonce, sign, send. One retry with a new nonce after OUT_OF_ORDER_NONCE
   * or REPLAY_DETECTED. If the node does not answer, the payment is never signed again: the result is
   * `phase: "unknown"` with the `tx_hash` to track.
   * Uses the unlocked key of `review.from`, else `password`.
   */
  async send(review: TransferReview, opts: { client: NodeClient; password?: string }): Promise<SendResult> {
    const seed = await this.seedFor(review.from, opts.password);
    try {
      for (let attempt = 0; ; attempt++) {
        const nonce = await this.nonces.next(review.from);
        const signed = signTransfer({
          seed,
          to: review.to,
          amountMicro: review.amount_i64,
          memo: review.memo,
          nonce,
          chainId: review.chain_id,
        });
        const base = {
          tx_hash: signed.txHash,
          tx_id: signed.txId,
          nonce,
          from: review.from,
          to: review.to,
          amount_i64: review.amount_i64,
          chain_id: review.chain_id,
        };
        try {
          await opts.client.sendSignedTransfer(signed.body);
          this.emitStatus({
            tx_hash: signed.txHash,
            from: review.from,
            status: 'pending',
            epoch: null,
            void_reason: null,
          });
          return { ...base, phase: 'pending' };
        } catch (e) {
          if (!(e instanceof NodeClientError)) throw e;
          if (e.noAnswer) {
            this.emitStatus({
              tx_hash: signed.txHash,
              from: review.from,
              status: 'unknown',
              epoch: null,
              void_reason: null,
            });
            return { ...base, phase: 'unknown', no_answer: e.kind === 'timeout' ? 'timeout' : 'unreachable' };
          }
          const code = e.nodeCode;
          if (attempt === 0 && e.kind === 'rejected' && (code === 'OUT_OF_ORDER_NONCE' || code === 'REPLAY_DETECTED')) {
            if (code === 'OUT_OF_ORDER_NONCE' && isJsonObject(e.body)) {
              const latest = e.body['latest_nonce'];
              if (typeof latest === 'number' || typeof latest === 'bigint')
                await this.nonces.raiseTo(review.from, BigInt(latest));
            }
            continue;
          }
          throw nodeFailure(e);
        }
      }
    } finally {
      if (this.unlocked?.seed !== seed) seed.fill(0);
      this.touch();
    }
  }

  /**
   * Follows a transfer until `confirmed` or `failed` (C.4 step 7), emitting `transfer-status` on every
   * change. A 404 that lasts longer than the grace period (7a) ends as `not_found`: it was never
   * received, and the payment may be sent again with a new nonce.
   */
  async trackTransfer(txHash: string, client: NodeClient, opts: TrackOptions = {}): Promise<TxStatus> {
    const pollMs = opts.pollMs ?? 30_000;
    const epochPollMs = Math.min(opts.epochPollMs ?? 5_000, pollMs);
    const started = this.now();
    const deadline = opts.timeoutMs === undefined ? Infinity : started + opts.timeoutMs;
    let grace = opts.notFoundGraceMs;
    if (grace === undefined) grace = await this.notFoundGrace(client);
    let lastStatus: string | null = null;
    let lastEpoch: number | null = null;
    let lastTxPoll = -Infinity;
    for (;;) {
      const t = this.now();
      let epochChanged = false;
      try {
        const e = await client.epoch();
        epochChanged = lastEpoch !== null && e.epoch !== lastEpoch;
        lastEpoch = e.epoch;
      } catch {
        // The transfer poll below reports a node that stays away.
      }
      if (epochChanged || t - lastTxPoll >= pollMs) {
        lastTxPoll = t;
        try {
          const s = await client.tx(txHash);
          if (s.status !== lastStatus) {
            lastStatus = s.status;
            this.emitStatus({
              tx_hash: s.tx_hash,
              from: opts.from ?? null,
              status: s.status,
              epoch: s.epoch,
              void_reason: s.void_reason,
            });
          }
          if (s.status === 'confirmed' || s.status === 'failed') return s;
          if (s.status === 'not_found' && t - started > grace) return s;
        } catch (e) {
          if (!(e instanceof NodeClientError) || !e.noAnswer) throw nodeFailure(e);
        }
      }
      if (this.now() >= deadline) {
        throw new WalletError('timeout', `transfer ${txHash} is still ${lastStatus ?? 'unknown'} after waiting`, {
          tx_hash: txHash,
          tx_status: lastStatus,
        });
      }
      await sleep(Math.max(1, Math.min(epochPollMs, deadline - this.now())), opts.signal);
    }
  }

  private async notFoundGrace(client: NodeClient): Promise<number> {
    try {
      if (!(await client.isOurNode())) return REFERENCE_NOT_FOUND_GRACE_MS;
      const e = await client.epoch();
      if (e.epoch_start !== null && e.epoch_end !== null && e.blocks_per_epoch > 0) {
        return (2 * 1000 * (e.epoch_end - e.epoch_start)) / e.blocks_per_epoch;
      }
    } catch {
      // Unknown node: the conservative reference value.
    }
    return REFERENCE_NOT_FOUND_GRACE_MS;
  }

  /**
   * C.4 step 8: confirmed balance minus own pending outgoing transfers (`pending_out_i64` on our node,
   * the sum of `/pending/list` items otherwise).
   */
  async balance(
    address: string,
    client: NodeClient,
  ): Promise<{
    address: string;
    amount_i64: bigint;
    amount_rtc: number;
    pending_out_i64: bigint;
    available_i64: bigint;
  }> {
    try {
      const b = await client.balance(address);
      let pendingOut = b.pending_out_i64;
      if (pendingOut === null) {
        const list = await client.pendingList({ minerId: address, status: 'pending', limit: 500 });
        pendingOut = list.pending
          .filter((p) => p.from_miner === address && p.status === 'pending')
          .reduce((sum, p) => sum + microOfFloat(p.amount_rtc), 0n);
      }
      const available = b.available_i64 ?? b.amount_i64 - pendingOut;
      return {
        address,
        amount_i64: b.amount_i64,
        amount_rtc: b.amount_rtc,
        pending_out_i64: pendingOut,
        available_i64: available,
      };
    } catch (e) {
      throw nodeFailure(e);
    }
  }

  // ---------- messages ----------

  async signMessage(address: string, message: string, password?: string): Promise<SignedMessage> {
    const ref = canonicalAddress(this.keystores.select(address).parsed.address);
    const seed = await this.seedFor(ref, password);
    try {
      return signMessage(seed, message);
    } finally {
      if (this.unlocked?.seed !== seed) seed.fill(0);
      this.touch();
    }
  }

  verifyMessage(signed: SignedMessage): boolean {
    return verifyMessage(signed);
  }

  // ---------- internals ----------

  private validate(mnemonic: string): void {
    try {
      validateMnemonic(mnemonic);
    } catch (e) {
      if (e instanceof MnemonicError) {
        throw new WalletError('invalid_mnemonic', e.message, { reason: e.reason, unknown_words: e.unknownWords });
      }
      throw e;
    }
  }

  /** The unlocked key if it is `address`'s, else a decryption with `password`. */
  private async seedFor(address: string, password?: string): Promise<Uint8Array> {
    const a = canonicalAddress(address);
    if (this.unlocked?.address === a) return this.unlocked.seed;
    if (password === undefined) throw new WalletError('locked', `the wallet ${a} is locked; a password is needed`);
    return this.decrypt(this.keystores.select(a), password);
  }

  /** Decrypts under the throttle; wrong passwords count, corrupt files do not. */
  private async decrypt(loaded: LoadedKeystore, password: string): Promise<Uint8Array> {
    const key = canonicalAddress(loaded.parsed.address);
    this.throttle.check(key);
    try {
      const seed = await decryptKeystore(loaded.parsed, password);
      this.throttle.succeeded(key);
      return seed;
    } catch (e) {
      const w = asWalletError(e);
      if (w instanceof WalletError && w.code === 'wrong_password') this.throttle.failed(key);
      throw w;
    }
  }

  private emitStatus(ev: TransferStatusEvent): void {
    this.emit('transfer-status', ev);
  }
}
