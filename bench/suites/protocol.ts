/**
 * Protocol hot paths, each on one core: building the canonical transfer message, signing (noble),
 * verifying with the pure libsodium-semantics verifier and with the node's OpenSSL path, and the full
 * stateless admission of a signed-transfer request. Target: ≥ 8,000 verifications per second on the
 * fastest correct path.
 */
import { atLeast, opsPerSecond, type BenchResult } from '../result.js';
import { canonicalJson, parseJson, PyFloat } from '../../src-main/protocol/canonical-json.js';
import { asciiBytes } from '../../src-main/protocol/bytes.js';
import { keyPairFromSeed, sign, verifyStrict } from '../../src-main/protocol/keys.js';
import { buildTransferMessage, checkSignedTransferRequest, signTransfer } from '../../src-main/protocol/transfer.js';
import { verifyFast } from '../../src-main/node/crypto/ed25519-fast.js';

const CHAIN_ID = 'rustchain-mainnet-v2';
const TO = 'RTC' + 'b'.repeat(40);

export default async function protocolSuite(): Promise<BenchResult[]> {
  const seed = new Uint8Array(32).fill(0x42);
  const { publicKey } = keyPairFromSeed(seed);
  const from = signTransfer({ seed, to: TO, amountMicro: 1n, memo: '', nonce: 1n, chainId: CHAIN_ID }).from;

  const fields = (i: number) => ({
    amount: new PyFloat(1.5 + i / 1e6),
    chainId: CHAIN_ID,
    fee: new PyFloat(0),
    from,
    memo: 'hello',
    nonce: String(1_700_000_000_000 + i),
    to: TO,
  });
  const build = opsPerSecond((i) => buildTransferMessage(fields(i), 'current'));

  const messages = Array.from({ length: 256 }, (_, i) => asciiBytes(buildTransferMessage(fields(i), 'current')));
  const signatures = messages.map((m) => sign(m, seed));
  const signing = opsPerSecond((i) => sign(messages[i % 256] as Uint8Array, seed), 1500);

  const at = (i: number) => [signatures[i % 256] as Uint8Array, messages[i % 256] as Uint8Array, publicKey] as const;
  const strict = opsPerSecond((i) => verifyStrict(...at(i)), 1500);
  const fast = opsPerSecond((i) => verifyFast(...at(i)), 1500);

  const bodies = Array.from({ length: 256 }, (_, i) =>
    canonicalJson(
      signTransfer({
        seed,
        to: TO,
        amountMicro: BigInt(1_500_000 + i),
        memo: 'hello',
        nonce: BigInt(1_700_000_000_000 + i),
        chainId: CHAIN_ID,
      }).body,
    ),
  );
  const admit = opsPerSecond((i) => {
    const r = checkSignedTransferRequest(parseJson(bodies[i % 256] as string), {
      chainId: CHAIN_ID,
      verify: verifyFast,
    });
    if (!r.ok) throw new Error('bench fixture refused');
  }, 1500);

  const best = Math.max(strict, fast);
  return [
    { suite: 'protocol', name: 'build canonical transfer message', value: build, unit: 'ops/s' },
    { suite: 'protocol', name: 'sign transfer (noble)', value: signing, unit: 'ops/s' },
    { suite: 'protocol', name: 'verify (verifyStrict, pure)', value: strict, unit: 'ops/s' },
    {
      suite: 'protocol',
      name: 'verify (verifyFast, OpenSSL + prechecks)',
      value: fast,
      unit: 'ops/s',
      ...atLeast(fast, 8000),
      notes: best === fast ? 'fastest correct path' : undefined,
    },
    {
      suite: 'protocol',
      name: 'checkSignedTransferRequest (parse + rows 1–22, verifyFast)',
      value: admit,
      unit: 'ops/s',
    },
  ];
}
