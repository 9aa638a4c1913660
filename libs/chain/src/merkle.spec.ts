import { describe, expect, it } from 'vitest';
import { merkleProof, merkleRoot, sha256, toHex, utf8, verifyMerkleProof } from '#chain';

const leaves = (n: number): Uint8Array[] => Array.from({ length: n }, (_, i) => sha256(utf8(`leaf ${i}`)));

describe('Merkle trees (RFC 6962)', () => {
  it('matches the RFC 6962 definition for small trees', () => {
    const [a, b, c] = leaves(3);
    const leaf = (x: Uint8Array) => sha256(Uint8Array.of(0), x);
    const node = (l: Uint8Array, r: Uint8Array) => sha256(Uint8Array.of(1), l, r);
    expect(toHex(merkleRoot([]))).toBe(toHex(sha256()));
    expect(toHex(merkleRoot([a]))).toBe(toHex(leaf(a)));
    expect(toHex(merkleRoot([a, b]))).toBe(toHex(node(leaf(a), leaf(b))));
    expect(toHex(merkleRoot([a, b, c]))).toBe(toHex(node(node(leaf(a), leaf(b)), leaf(c))));
  });

  it('does not give a list and the list with its last leaf repeated the same root', () => {
    const [a, b, c] = leaves(3);
    expect(toHex(merkleRoot([a, b, c]))).not.toBe(toHex(merkleRoot([a, b, c, c])));
  });

  it('every proof verifies, for every index of trees of 1..40 leaves', () => {
    for (let n = 1; n <= 40; n++) {
      const list = leaves(n);
      const root = merkleRoot(list);
      for (let i = 0; i < n; i++) expect(verifyMerkleProof(list[i], merkleProof(list, i), root), `n=${n} i=${i}`).toBe(true);
    }
  });

  it('any flipped byte in leaf, path or root, or a wrong index or count, fails', () => {
    const list = leaves(13);
    const root = merkleRoot(list);
    for (const index of [0, 5, 12]) {
      const proof = merkleProof(list, index);
      for (let byte = 0; byte < 32; byte++) {
        const leaf = Uint8Array.from(list[index]);
        leaf[byte] ^= 0x01;
        expect(verifyMerkleProof(leaf, proof, root)).toBe(false);
        const badRoot = Uint8Array.from(root);
        badRoot[byte] ^= 0x80;
        expect(verifyMerkleProof(list[index], proof, badRoot)).toBe(false);
        for (let level = 0; level < proof.path.length; level++) {
          const path = proof.path.map((p) => Uint8Array.from(p));
          path[level][byte] ^= 0x10;
          expect(verifyMerkleProof(list[index], { ...proof, path }, root)).toBe(false);
        }
      }
      expect(verifyMerkleProof(list[index], { ...proof, leafIndex: (index + 1) % 13 }, root)).toBe(false);
      // The count shapes the path; it is authenticated by the block header (txCount), which
      // receipt verification checks, so here only a count that changes the shape must fail.
      if (index === 12) expect(verifyMerkleProof(list[index], { ...proof, leafCount: 14 }, root)).toBe(false);
      expect(verifyMerkleProof(list[index], { ...proof, path: proof.path.slice(1) }, root)).toBe(false);
    }
  });
});
