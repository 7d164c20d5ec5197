/**
 * Ergo anchoring encodings (PROTOCOL.md B.9): the R4/R5 register values and the body of
 * `POST /wallet/transaction/send`.
 */
import type { JsonObject } from '../canonical-json.js';

/** R4 = Coll[Byte] of the 32-byte epoch hash: type 0x0e, VLQ length 0x20, the bytes. */
export function ergoR4(epochHash: string): string {
  if (!/^[0-9a-f]{64}$/.test(epochHash)) throw new Error('epoch hash must be 64 lower-case hex digits');
  return '0e20' + epochHash;
}

export function zigZag(n: bigint): bigint {
  return n >= 0n ? n << 1n : (-n << 1n) - 1n;
}

/** 7 bits per byte, least significant first, high bit set on all but the last byte. */
export function vlqHex(n: bigint): string {
  if (n < 0n) throw new RangeError('VLQ encodes non-negative values');
  let out = '';
  let v = n;
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out += byte.toString(16).padStart(2, '0');
  } while (v > 0n);
  return out;
}

/** R5 = SLong epoch number: `05` + VLQ(ZigZag(E)). */
export function ergoR5(epoch: number | bigint): string {
  return '05' + vlqHex(zigZag(BigInt(epoch)));
}

export interface AnchorSendParams {
  address: string;
  valueNanoerg: number;
  feeNanoerg: number;
  epoch: number;
  epochHash: string;
}

export function ergoSendRequest(p: AnchorSendParams): JsonObject {
  return {
    requests: [
      {
        address: p.address,
        value: p.valueNanoerg,
        assets: [],
        registers: { R4: ergoR4(p.epochHash), R5: ergoR5(p.epoch) },
      },
    ],
    fee: p.feeNanoerg,
    inputsRaw: [],
    dataInputsRaw: [],
  };
}
