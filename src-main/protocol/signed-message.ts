/**
 * Signing and verifying free-text messages with a wallet key (docs/decisions/message-signing.md).
 *
 * Signed bytes = ASCII "RustChain Signed Message v1\n" ‖ UTF-8(NFC(message)). The prefix makes these
 * bytes impossible to confuse with anything else the same key signs: transfers and canonical
 * attestations are JSON objects (they start with "{"), and enrollment and pipe-attestation messages start
 * with a miner id, which cannot contain a space or a newline.
 */
import { asciiBytes, bytesToHex, concatBytes, hexToBytes, isHex, utf8 } from './bytes.js';
import {
  RTC_ADDRESS_FORMAT,
  addressFromPublicKey,
  keyPairFromSeed,
  sign,
  verifyStrict,
  type Verifier,
} from './keys.js';

export const SIGNED_MESSAGE_PREFIX = 'RustChain Signed Message v1\n';
/** Messages are for humans to read; 64 KiB is far more than any of them needs. */
export const MAX_SIGNED_MESSAGE_BYTES = 65_536;

export interface SignedMessage {
  address: string;
  public_key: string;
  message: string;
  signature: string;
}

export function signedMessageBytes(message: string): Uint8Array {
  const body = utf8(message.normalize('NFC'));
  if (body.length > MAX_SIGNED_MESSAGE_BYTES) throw new RangeError('the message is longer than 64 KiB');
  return concatBytes(asciiBytes(SIGNED_MESSAGE_PREFIX), body);
}

export function signMessage(seed: Uint8Array, message: string): SignedMessage {
  const { publicKey } = keyPairFromSeed(seed);
  return {
    address: addressFromPublicKey(publicKey),
    public_key: bytesToHex(publicKey),
    message,
    signature: bytesToHex(sign(signedMessageBytes(message), seed)),
  };
}

/** True iff the signature verifies (libsodium rules, A.3) and the key is the key of `address`. */
export function verifyMessage(s: SignedMessage, verify: Verifier = verifyStrict): boolean {
  if (!RTC_ADDRESS_FORMAT.test(s.address) || !isHex(s.public_key, 64) || !isHex(s.signature, 128)) return false;
  const publicKey = hexToBytes(s.public_key.toLowerCase());
  if (addressFromPublicKey(publicKey) !== 'RTC' + s.address.slice(3).toLowerCase()) return false;
  let bytes: Uint8Array;
  try {
    bytes = signedMessageBytes(s.message);
  } catch {
    return false;
  }
  return verify(hexToBytes(s.signature.toLowerCase()), bytes, publicKey);
}
