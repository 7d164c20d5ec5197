import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hexToBytes, bytesToHex } from '../../src-main/protocol/bytes.js';
import { EMPTY_ROOT, interiorHash, leafHash, merkleRoot, merkleRootOfTexts } from '../../src-main/protocol/merkle.js';
import { loadVectors } from '../support/vectors.js';

interface MerkleVectors {
  empty_root: string;
  worked_example_3: { leaves_hex: string[]; leaf_hashes: string[]; level1: string[]; root: string };
  cases: { name: string; leaves_hex: string[]; root: string }[];
}

const v = loadVectors<MerkleVectors>('merkle');
const nodeSha256 = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());

describe('merkle (B.6.4)', () => {
  it('empty root', () => {
    expect(merkleRoot([])).toBe(v.empty_root);
    expect(EMPTY_ROOT).toBe(v.empty_root);
  });

  it('worked example with three leaves, step by step', () => {
    const w = v.worked_example_3;
    const leaves = w.leaves_hex.map(hexToBytes);
    const hashes = leaves.map((l) => leafHash(l));
    expect(hashes.map(bytesToHex)).toEqual(w.leaf_hashes);
    const level1 = [interiorHash(hashes[0]!, hashes[1]!), hashes[2]!];
    expect(level1.map(bytesToHex)).toEqual(w.level1);
    expect(merkleRoot(leaves)).toBe(w.root);
  });

  it.each(v.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const leaves = c.leaves_hex.map(hexToBytes);
    expect(merkleRoot(leaves)).toBe(c.root);
    expect(merkleRoot(leaves, nodeSha256)).toBe(c.root);
  });

  it('text leaves hash their ASCII bytes', () => {
    const texts = ['{"a":1}', '{"b":2}', '{"c":3}'];
    expect(merkleRootOfTexts(texts)).toBe(merkleRoot(texts.map((t) => new TextEncoder().encode(t))));
  });
});
