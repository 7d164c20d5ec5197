/** Test miners and senders: keys from fixed seeds, signed attestations and transfers. */
import { canonicalJson, parseJson, type JsonObject } from '../../../src-main/protocol/canonical-json.js';
import { bytesToHex } from '../../../src-main/protocol/bytes.js';
import { addressFromPublicKey, keyPairFromSeed, sign } from '../../../src-main/protocol/keys.js';
import { attestationSigningMessage } from '../../../src-main/protocol/attestation.js';
import { signTransfer } from '../../../src-main/protocol/transfer.js';

export interface Actor {
  seed: Uint8Array;
  publicKey: string;
  address: string;
}

export function actor(byte: number): Actor {
  const seed = new Uint8Array(32).fill(byte);
  const { publicKey } = keyPairFromSeed(seed);
  return { seed, publicKey: bytesToHex(publicKey), address: addressFromPublicKey(publicKey) };
}

/** A canonical-scheme attestation of `template` ({device, signals, fingerprint}) for `miner`. */
export function signedAttestation(miner: Actor, nonce: string, template: JsonObject): string {
  const body: JsonObject = {
    miner: miner.address,
    miner_id: 'test-host',
    nonce,
    report: { nonce, commitment: '00', derived: {}, entropy_score: 0.5 },
    device: template.device ?? null,
    signals: template.signals ?? null,
    fingerprint: template.fingerprint ?? null,
  };
  const signature = sign(attestationSigningMessage(body), miner.seed);
  return canonicalJson({
    ...body,
    signature: bytesToHex(signature),
    public_key: miner.publicKey,
    signature_type: 'canonical_json',
  });
}

export function transferBody(
  from: Actor,
  to: string,
  amountMicro: bigint,
  nonce: bigint,
  chainId: string,
  memo = '',
): {
  text: string;
  txHash: string;
} {
  const t = signTransfer({ seed: from.seed, to, amountMicro, memo, nonce, chainId });
  return { text: canonicalJson(t.body), txHash: t.txHash };
}

/** Attestation templates from vectors/fingerprint-validation.json, parsed number-preserving. */
export function fingerprintTemplates(text: string): Map<string, { attestation: JsonObject; expected: JsonObject }> {
  const v = parseJson(text) as JsonObject;
  const out = new Map<string, { attestation: JsonObject; expected: JsonObject }>();
  for (const c of v.cases as JsonObject[]) {
    out.set(c.name as string, { attestation: c.attestation as JsonObject, expected: c.expected as JsonObject });
  }
  return out;
}
