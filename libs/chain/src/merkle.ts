import { bytesEqual } from './bytes.js';
import { sha256 } from './hash.js';

const LEAF_PREFIX = Uint8Array.of(0x00);
const NODE_PREFIX = Uint8Array.of(0x01);

/**
 * Merkle trees as in RFC 6962 (Certificate Transparency): leaf = SHA-256(0x00 ‖ data),
 * node = SHA-256(0x01 ‖ left ‖ right), a tree of n leaves splits at the largest power of two
 * below n, and the empty tree's root is SHA-256(""). The prefixes stop a leaf from posing as an
 * inner node (second-preimage attacks); no leaf is duplicated (unlike Bitcoin's tree, where a
 * list with its last element repeated has the same root).
 */
export function merkleLeafHash(data: Uint8Array): Uint8Array {
  return sha256(LEAF_PREFIX, data);
}

function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(NODE_PREFIX, left, right);
}

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function rootOfLeafHashes(leafHashes: readonly Uint8Array[], start: number, end: number): Uint8Array {
  const n = end - start;
  if (n === 1) return leafHashes[start];
  const k = largestPowerOfTwoBelow(n);
  return nodeHash(rootOfLeafHashes(leafHashes, start, start + k), rootOfLeafHashes(leafHashes, start + k, end));
}

/** The Merkle root of `leaves` (each leaf is raw data, e.g. a transaction hash). */
export function merkleRoot(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return sha256();
  return rootOfLeafHashes(leaves.map(merkleLeafHash), 0, leaves.length);
}

/** An inclusion proof: the audit path from a leaf to the root, bottom-up. */
export interface MerkleProof {
  /** Index of the leaf among all leaves. */
  leafIndex: number;
  /** Number of leaves in the tree. */
  leafCount: number;
  /** Sibling hashes from the leaf level up to just below the root. */
  path: Uint8Array[];
}

function auditPath(leafHashes: readonly Uint8Array[], index: number, start: number, end: number): Uint8Array[] {
  const n = end - start;
  if (n === 1) return [];
  const k = largestPowerOfTwoBelow(n);
  if (index < k) {
    return [...auditPath(leafHashes, index, start, start + k), rootOfLeafHashes(leafHashes, start + k, end)];
  }
  return [...auditPath(leafHashes, index - k, start + k, end), rootOfLeafHashes(leafHashes, start, start + k)];
}

/** The inclusion proof of `leaves[leafIndex]`. */
export function merkleProof(leaves: readonly Uint8Array[], leafIndex: number): MerkleProof {
  if (!Number.isInteger(leafIndex) || leafIndex < 0 || leafIndex >= leaves.length) {
    throw new RangeError(`leaf index ${leafIndex} outside 0..${leaves.length - 1}`);
  }
  return { leafIndex, leafCount: leaves.length, path: auditPath(leaves.map(merkleLeafHash), leafIndex, 0, leaves.length) };
}

/**
 * Recomputes the root from `leaf` and `proof` (RFC 9162 §2.1.3.2) and compares it with `root`.
 * Any flipped byte in leaf, path or root, a wrong index or a wrong count fails.
 */
export function verifyMerkleProof(leaf: Uint8Array, proof: MerkleProof, root: Uint8Array): boolean {
  const { leafIndex, leafCount, path } = proof;
  if (!Number.isInteger(leafIndex) || !Number.isInteger(leafCount) || leafIndex < 0 || leafIndex >= leafCount) return false;
  let fn = leafIndex;
  let sn = leafCount - 1;
  let hash = merkleLeafHash(leaf);
  for (const sibling of path) {
    if (sibling.length !== 32 || sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      hash = nodeHash(sibling, hash);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      hash = nodeHash(hash, sibling);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && bytesEqual(hash, root);
}
