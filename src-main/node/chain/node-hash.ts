/** SHA-256 from node:crypto (OpenSSL), injected into Merkle roots and epoch hashes for speed. */
import { createHash } from 'node:crypto';
import type { HashFn } from '../../protocol/merkle.js';

export const nodeSha256: HashFn = (data) => {
  const d = createHash('sha256').update(data).digest();
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
};
