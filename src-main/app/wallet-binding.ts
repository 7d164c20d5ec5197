/** Binds the app's WalletPort to the WalletService (src-main/wallet/wallet-service.ts). */
import { PyFloat } from '../protocol/canonical-json.js';
import { buildTransferMessage } from '../protocol/transfer.js';
import { WalletError, type WalletErrorCode } from '../wallet/errors.js';
import { canonicalAddress } from '../wallet/keystore-store.js';
import { WalletService } from '../wallet/wallet-service.js';
import type { ErrorCode } from './contract.js';
import { AppError } from './errors.js';
import { nodeError } from './node-binding.js';
import type { WalletPort } from './ports.js';

const CODE_MAP: Partial<Record<WalletErrorCode, ErrorCode>> = {
  invalid_amount: 'invalid_amount',
  invalid_address: 'invalid_address',
  invalid_mnemonic: 'invalid_mnemonic',
  invalid_memo: 'invalid_request',
  keystore_not_found: 'no_wallet',
  wrong_password: 'wrong_password',
  throttled: 'wrong_password',
  keystore_corrupt: 'wrong_password',
  file_exists: 'invalid_request',
  locked: 'locked',
  node_unreachable: 'node_unreachable',
  timeout: 'node_unreachable',
  node_rejected: 'node_rejected',
  transfer_failed: 'node_rejected',
  not_found: 'not_found',
  usage: 'invalid_request',
};

function appError(err: unknown): AppError {
  if (err instanceof WalletError) {
    const message = err.code === 'file_exists' ? 'this wallet already exists on this computer' : err.message;
    return new AppError(CODE_MAP[err.code] ?? 'internal_error', message);
  }
  return nodeError(err);
}

async function guard<T>(fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw appError(err);
  }
}

export function walletPortFor(home: string): WalletPort & { service: WalletService } {
  // The app keeps its own lock state and asks for the password at every send, so the service never
  // holds a decrypted key for the app (auto-lock 0 = the service's own timer is unused).
  const service = new WalletService({ home, autoLockMs: 0 });
  return {
    service,
    list: () =>
      guard(() =>
        service.list().map((k) => ({ address: canonicalAddress(k.address), name: k.name, derivation: k.derivation })),
      ),
    generateMnemonic: () => service.generateMnemonic(),
    restoreCandidates: (mnemonic, passphrase, node) =>
      guard(async () => {
        if (!node) {
          service.deriveCandidates(mnemonic, passphrase); // validates the phrase
          return {
            candidates: service
              .deriveCandidates(mnemonic, passphrase)
              .map((c) => ({ rule: c.rule, address: c.address, amountI64: null, active: false })),
            preselected: 'lightclient_sha256' as const,
            nodeUnreachable: true,
          };
        }
        const r = await service.restoreCandidates(mnemonic, passphrase, node.client);
        return {
          candidates: r.candidates.map((c) => ({
            rule: c.rule,
            address: c.address,
            amountI64: c.amount_i64,
            active: c.active,
          })),
          preselected: r.preselected,
          nodeUnreachable: r.nodeUnreachable,
        };
      }),
    create: (args) => guard(async () => ({ address: (await service.restore(args)).address })),
    verifyPassword: (address, password) => guard(() => service.verifyPassword(address, password)),
    prepare: ({ from, to, amount, memo, node }) =>
      guard(async () => {
        const review = await service.composeTransfer({ from, to, amount, memo, client: node.client });
        // C.4 step 4's rule, read-only: the store reserves the final nonce (at least this one) at signing.
        const last = service.nonces.last(from);
        const now = BigInt(Date.now());
        const nonce = last !== null && last + 1n > now ? last + 1n : now;
        const message = buildTransferMessage(
          {
            amount: new PyFloat(Number(review.amount)),
            chainId: review.chain_id,
            fee: new PyFloat(0),
            from: review.from,
            memo: review.memo,
            nonce: nonce.toString(),
            to: review.to,
          },
          'current',
        );
        return {
          from: review.from,
          to: review.to,
          amountI64: review.amount_i64,
          memo: review.memo,
          chainId: review.chain_id,
          nonce,
          message,
          review,
        };
      }),
    send: ({ draft, password, node }) =>
      guard(async () => {
        const review = (draft as typeof draft & { review: Parameters<WalletService['send']>[0] }).review;
        const sent = await service.send(review, { client: node.client, password });
        return { txHash: sent.tx_hash, status: sent.phase, nonce: sent.nonce };
      }),
  };
}
