/**
 * `rustchain wallet create|restore|address|balance|send|history|import|export` (PROTOCOL.md E.3, E.1).
 * A thin adapter: the work is done by WalletService and NodeClient.
 */
import type { Command } from 'commander';
import { NodeClient } from '../../client/node-client.js';
import { formatRtc, rtcFloat } from '../../protocol/amounts.js';
import { canonicalJson, type JsonObject, type JsonValue } from '../../protocol/canonical-json.js';
import { RTC_ADDRESS_FORMAT } from '../../protocol/keys.js';
import { MnemonicError, type DerivationRule } from '../../protocol/mnemonic.js';
import { WalletError } from '../../wallet/errors.js';
import { defaultHome } from '../../platform/home.js';
import type { KeystoreFormat } from '../../wallet/keystore.js';
import { NonceStoreError } from '../../wallet/nonce-store.js';
import { WalletService, nodeFailure, type RestoreCandidates } from '../../wallet/wallet-service.js';
import { CliError } from '../errors.js';
import { action, diag } from '../output.js';
import { canPrompt, getMnemonic, getMnemonicPassphrase, getPassword, promptLine } from '../secrets.js';

interface CommonOptions {
  json?: boolean;
  node?: string;
  keystore?: string;
}

const DEFAULT_NODE = 'http://127.0.0.1:8099';
const RULES: Record<string, DerivationRule> = {
  lightclient: 'lightclient_sha256',
  cli: 'cli_slip10_master',
  mobile: 'mobile_sha256_path',
};

function nodeUrl(o: CommonOptions): string {
  return o.node ?? process.env.RUSTCHAIN_NODE ?? DEFAULT_NODE;
}

function client(o: CommonOptions): NodeClient {
  try {
    return new NodeClient(nodeUrl(o));
  } catch (e) {
    throw new CliError('usage', (e as Error).message);
  }
}

function service(): WalletService {
  return new WalletService({ home: defaultHome(), autoLockMs: 0 });
}

/** Wallet and mnemonic errors keep their E.1 code; the rest are mapped to the nearest one. */
function cliError(e: unknown): unknown {
  if (e instanceof WalletError) {
    const code =
      e.code === 'locked'
        ? 'password_required'
        : e.code === 'throttled'
          ? 'wrong_password'
          : e.code === 'invalid_memo'
            ? 'usage'
            : e.code === 'not_found'
              ? 'keystore_not_found'
              : e.code;
    return new CliError(code, e.message, e.extra);
  }
  if (e instanceof MnemonicError) return new CliError('invalid_mnemonic', e.message, { reason: e.reason });
  if (e instanceof NonceStoreError) return new CliError('internal_error', e.message);
  return e;
}

/** Runs a command with wallet errors mapped to CLI errors. */
function run<A extends unknown[]>(fn: (...args: A) => Promise<void>) {
  return action(async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      throw cliError(e);
    }
  });
}

/** E.1 result: canonical JSON (exact integers and node floats) with --json, else the human text. */
function emit(o: CommonOptions, result: JsonObject, human: () => string): void {
  if (o.json) process.stdout.write(canonicalJson({ ok: true, ...result }) + '\n');
  else process.stdout.write(human() + '\n');
}

function opts(cmd: Command): CommonOptions {
  return cmd.optsWithGlobals<CommonOptions>();
}

function parseFormat(v: string | undefined): KeystoreFormat | undefined {
  if (v === undefined) return undefined;
  if (v === 'v1' || v === 'v2') return v;
  throw new CliError('usage', `--format is v1 or v2, not ${v}`);
}

function parseCount(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^[0-9]+$/.test(v)) throw new CliError('usage', `--${name} must be a non-negative integer`);
  return Number(v);
}

function candidatesJson(c: RestoreCandidates): JsonValue[] {
  return c.candidates.map((x) => ({ rule: x.rule, address: x.address, amount_i64: x.amount_i64, active: x.active }));
}

async function chooseRule(c: RestoreCandidates): Promise<DerivationRule> {
  if (c.preselected !== null) return c.preselected;
  if (!canPrompt()) {
    throw new CliError(
      'rule_required',
      'several derivations of this phrase have funds or history; choose one with --rule',
      {
        candidates: candidatesJson(c),
      },
    );
  }
  c.candidates.forEach((x, i) =>
    diag(
      `  ${i + 1}) ${x.rule.padEnd(20)} ${x.address}  ${x.amount_i64 === null ? '?' : formatRtc(x.amount_i64)} RTC${x.active ? '  (active)' : ''}`,
    ),
  );
  const answer = (await promptLine('Which account? [1-3]: ')).trim();
  const chosen = c.candidates[Number(answer) - 1];
  if (!chosen) throw new CliError('rule_required', 'no account chosen');
  return chosen.rule;
}

export function register(program: Command): void {
  const wallet = program
    .command('wallet')
    .description('keys, balances and transfers (PROTOCOL.md E.3)')
    .option('--node <url>', 'node API URL (default $RUSTCHAIN_NODE or http://127.0.0.1:8099)')
    .option('--keystore <file>', 'keystore file (default: the only one in <home>/wallets/)')
    .option('--json', 'machine-readable output');

  wallet
    .command('create')
    .description('new 24-word wallet')
    .option('--format <v2|v1>', 'keystore format', 'v2')
    .option('--name <name>', 'keystore name (default: the address)')
    .option('--json', 'machine-readable output')
    .action(
      run(async (cmdOpts: { format?: string; name?: string }, cmd: Command) => {
        const o = opts(cmd);
        const format = parseFormat(cmdOpts.format) ?? 'v2';
        const password = await getPassword({ confirm: true });
        const w = service();
        const r = await w.create({ password, passphrase: getMnemonicPassphrase(), name: cmdOpts.name, format });
        emit(
          o,
          {
            address: r.address,
            public_key: r.publicKey,
            keystore: r.keystore,
            format: r.format,
            derivation: r.derivation,
            mnemonic: r.mnemonic,
          },
          () =>
            [
              `address   ${r.address}`,
              `keystore  ${r.keystore} (${r.format}, ${r.derivation})`,
              '',
              'Recovery phrase — write it down now; it is shown only once and is not stored:',
              r.mnemonic,
            ].join('\n'),
        );
      }),
    );

  wallet
    .command('restore')
    .description('restore a wallet from its recovery phrase')
    .option('--rule <rule>', 'auto | lightclient | cli | mobile', 'auto')
    .option('--format <v2|v1>', 'keystore format', 'v2')
    .option('--name <name>', 'keystore name (default: the address)')
    .option('--json', 'machine-readable output')
    .action(
      run(async (cmdOpts: { rule: string; format?: string; name?: string }, cmd: Command) => {
        const o = opts(cmd);
        const format = parseFormat(cmdOpts.format) ?? 'v2';
        if (cmdOpts.rule !== 'auto' && !(cmdOpts.rule in RULES)) {
          throw new CliError('usage', '--rule is auto, lightclient, cli or mobile');
        }
        const mnemonic = await getMnemonic();
        const passphrase = getMnemonicPassphrase();
        const w = service();
        w.deriveCandidates(mnemonic, passphrase); // invalid phrases fail before any network or password
        const candidates = await w.restoreCandidates(mnemonic, passphrase, client(o));
        let rule: DerivationRule;
        if (cmdOpts.rule !== 'auto') rule = RULES[cmdOpts.rule] as DerivationRule;
        else if (candidates.nodeUnreachable) rule = 'lightclient_sha256';
        else rule = await chooseRule(candidates);
        const password = await getPassword({ confirm: true });
        const r = await w.restore({ mnemonic, passphrase, rule, password, name: cmdOpts.name, format });
        const result: JsonObject = {
          address: r.address,
          public_key: r.publicKey,
          keystore: r.keystore,
          format: r.format,
          derivation: r.derivation,
          candidates: candidatesJson(candidates),
        };
        if (candidates.nodeUnreachable) result['node_unreachable'] = true;
        emit(o, result, () =>
          [
            ...candidates.candidates.map(
              (c) =>
                `${c.rule === rule ? '*' : ' '} ${c.rule.padEnd(20)} ${c.address}  ${c.amount_i64 === null ? '?' : formatRtc(c.amount_i64)} RTC`,
            ),
            candidates.nodeUnreachable ? '(node unreachable: balances unknown, using lightclient_sha256)' : '',
            `restored ${r.address} → ${r.keystore}`,
          ]
            .filter(Boolean)
            .join('\n'),
        );
      }),
    );

  wallet
    .command('address')
    .description('the keystore address (no password)')
    .option('--json', 'machine-readable output')
    .action(
      run(async (_cmdOpts: object, cmd: Command) => {
        const o = opts(cmd);
        const d = service().describe(o.keystore);
        emit(o, { address: d.address, public_key: d.publicKey }, () => d.address);
      }),
    );

  wallet
    .command('balance [address]')
    .description('confirmed and available balance')
    .option('--json', 'machine-readable output')
    .action(
      run(async (address: string | undefined, _cmdOpts: object, cmd: Command) => {
        const o = opts(cmd);
        const w = service();
        const id = address ?? w.describe(o.keystore).address;
        const b = await w.balance(id, client(o));
        emit(
          o,
          {
            address: id,
            amount_i64: b.amount_i64,
            amount_rtc: rtcFloat(b.amount_i64),
            pending_out_i64: b.pending_out_i64,
            available_i64: b.available_i64,
          },
          () =>
            `${id}\n  balance    ${formatRtc(b.amount_i64)} RTC\n  pending    ${formatRtc(b.pending_out_i64)} RTC out\n  available  ${formatRtc(b.available_i64)} RTC`,
        );
      }),
    );

  wallet
    .command('send')
    .description('sign and send a transfer (C.4)')
    .requiredOption('--to <address>', 'recipient RTC address')
    .requiredOption('--amount <rtc>', 'amount in RTC (up to 6 decimals)')
    .option('--memo <text>', 'memo', '')
    .option('--chain-id <id>', 'override the chain id of /network/info')
    .option('--wait', 'wait until the transfer is confirmed or failed')
    .option('--timeout <seconds>', 'with --wait: give up after this long', '900')
    .option('--json', 'machine-readable output')
    .action(
      run(
        async (
          cmdOpts: { to: string; amount: string; memo: string; chainId?: string; wait?: boolean; timeout: string },
          cmd: Command,
        ) => {
          const o = opts(cmd);
          const timeoutS = parseCount('timeout', cmdOpts.timeout) as number;
          if (!RTC_ADDRESS_FORMAT.test(cmdOpts.to.trim()))
            throw new CliError('invalid_address', `not an RTC address: ${cmdOpts.to}`);
          const w = service();
          const from = w.describe(o.keystore).address;
          const node = client(o);
          const review = await w.composeTransfer({
            from,
            to: cmdOpts.to,
            amount: cmdOpts.amount,
            memo: cmdOpts.memo,
            chainId: cmdOpts.chainId,
            client: node,
          });
          const password = await getPassword();
          const sent = await w.send(review, { client: node, password });
          const result: JsonObject = {
            tx_hash: sent.tx_hash,
            tx_id: sent.tx_id,
            phase: 'pending',
            from: sent.from,
            to: sent.to,
            amount_i64: sent.amount_i64,
            nonce: sent.nonce.toString(),
            chain_id: sent.chain_id,
          };
          if (sent.phase === 'unknown' && !cmdOpts.wait) {
            throw new CliError(
              sent.no_answer === 'unreachable' ? 'node_unreachable' : 'timeout',
              `the node did not answer; do NOT send again — check transfer ${sent.tx_hash} (rustchain wallet send --wait tracks it)`,
              {
                tx_hash: sent.tx_hash,
                tx_id: sent.tx_id,
                nonce: sent.nonce.toString(),
              },
            );
          }
          if (cmdOpts.wait) {
            if (!o.json) diag(`sent ${sent.tx_hash}; waiting for confirmation…`);
            const s = await w.trackTransfer(sent.tx_hash, node, { timeoutMs: timeoutS * 1000, from: sent.from });
            if (s.status === 'failed' || s.status === 'not_found') {
              throw new CliError(
                'transfer_failed',
                `transfer ${sent.tx_hash} ${s.status === 'failed' ? 'failed' : 'never reached the node'}`,
                {
                  ...result,
                  status: s.status === 'failed' ? 'failed' : 'not_found',
                  epoch: s.epoch,
                  void_reason: s.void_reason ?? (s.status === 'not_found' ? 'not_received' : null),
                },
              );
            }
            result['status'] = s.status;
            result['epoch'] = s.epoch;
          }
          emit(o, result, () =>
            [
              `${result['status'] ?? 'pending'}  ${sent.tx_hash}`,
              `  ${formatRtc(sent.amount_i64)} RTC  ${sent.from} → ${sent.to}`,
              `  nonce ${sent.nonce}  chain ${sent.chain_id}`,
            ].join('\n'),
          );
        },
      ),
    );

  wallet
    .command('history [address]')
    .description('ledger history as the node reports it')
    .option('--limit <n>', 'items per page')
    .option('--offset <n>', 'items to skip')
    .option('--json', 'machine-readable output')
    .action(
      run(async (address: string | undefined, cmdOpts: { limit?: string; offset?: string }, cmd: Command) => {
        const o = opts(cmd);
        const id = address ?? service().describe(o.keystore).address;
        let h;
        try {
          h = await client(o).history(id, {
            limit: parseCount('limit', cmdOpts.limit),
            offset: parseCount('offset', cmdOpts.offset),
          });
        } catch (e) {
          throw nodeFailure(e);
        }
        emit(o, { address: id, total: h.total, transactions: h.transactions }, () =>
          [`${id}: ${h.total} entries`, ...h.transactions.map((t) => '  ' + canonicalJson(t))].join('\n'),
        );
      }),
    );

  wallet
    .command('import <file>')
    .description('verify a v1/v2 keystore and copy it into <home>/wallets/')
    .option('--json', 'machine-readable output')
    .action(
      run(async (file: string, _cmdOpts: object, cmd: Command) => {
        const o = opts(cmd);
        const password = await getPassword();
        const r = await service().importKeystore(file, password);
        emit(
          o,
          { address: r.address, public_key: r.publicKey, keystore: r.path, format: r.format },
          () => `imported ${r.address} → ${r.path}`,
        );
      }),
    );

  wallet
    .command('export')
    .description('re-encrypt the keystore into another file (v1 for the reference CLI)')
    .requiredOption('--out <file>', 'output file (never overwritten)')
    .option('--format <v1|v2>', 'output format (default: the keystore’s own)')
    .option('--json', 'machine-readable output')
    .action(
      run(async (cmdOpts: { out: string; format?: string }, cmd: Command) => {
        const o = opts(cmd);
        const format = parseFormat(cmdOpts.format);
        const w = service();
        const selected = w.describe(o.keystore);
        const password = await getPassword();
        const r = await w.exportKeystore(selected.path, password, cmdOpts.out, format);
        emit(
          o,
          { address: r.address, keystore: r.keystore, format: r.format },
          () => `exported ${r.address} → ${r.keystore} (${r.format})`,
        );
      }),
    );
}
