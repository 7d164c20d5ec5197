/**
 * RFC 6962 Merkle Tree Hash (PROTOCOL.md B.6.4): leaf = H(0x00 ‖ leaf), node = H(0x01 ‖ left ‖ right),
 * built level by level; an odd last node is carried up unchanged (never duplicated).
 */
import { asciiBytes, bytesToHex, sha256Bytes } from './bytes.js';

/** A SHA-256 implementation; the node may inject node:crypto's, which is several times faster. */
export type HashFn = (data: Uint8Array) => Uint8Array;

export const defaultHash: HashFn = (data) => sha256Bytes(data);

export const EMPTY_ROOT = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export function leafHash(leaf: Uint8Array, hash: HashFn = defaultHash): Uint8Array {
  const buf = new Uint8Array(leaf.length + 1);
  buf[0] = 0x00;
  buf.set(leaf, 1);
  return hash(buf);
}

/** Reused across calls: every interior node hashes exactly 65 bytes. */
const interiorBuf = new Uint8Array(65);

export function interiorHash(left: Uint8Array, right: Uint8Array, hash: HashFn = defaultHash): Uint8Array {
  interiorBuf[0] = 0x01;
  interiorBuf.set(left, 1);
  interiorBuf.set(right, 33);
  return hash(interiorBuf);
}

/** Root over already-hashed leaves (lower-case hex). */
export function merkleRootFromLeafHashes(leafHashes: readonly Uint8Array[], hash: HashFn = defaultHash): string {
  if (leafHashes.length === 0) return bytesToHex(hash(new Uint8Array(0)));
  let level: Uint8Array[] = leafHashes.slice();
  while (level.length > 1) {
    const next: Uint8Array[] = new Array<Uint8Array>(Math.ceil(level.length / 2));
    let j = 0;
    for (let i = 0; i + 1 < level.length; i += 2) {
      next[j++] = interiorHash(level[i] as Uint8Array, level[i + 1] as Uint8Array, hash);
    }
    if (level.length % 2 === 1) next[j] = level[level.length - 1] as Uint8Array;
    level = next;
  }
  return bytesToHex(level[0] as Uint8Array);
}

/** Root over leaf byte strings. */
export function merkleRoot(leaves: readonly Uint8Array[], hash: HashFn = defaultHash): string {
  return merkleRootFromLeafHashes(
    leaves.map((l) => leafHash(l, hash)),
    hash,
  );
}

/** Root over canonical JSON leaf texts (pure ASCII, so each char is one byte). */
export function merkleRootOfTexts(leaves: readonly string[], hash: HashFn = defaultHash): string {
  return merkleRootFromLeafHashes(
    leaves.map((l) => leafHash(asciiBytes(l), hash)),
    hash,
  );
}
