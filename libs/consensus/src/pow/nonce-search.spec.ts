import { blockHash, meetsDifficulty, sha256, verifyPowSeal, type BlockHeader } from '#chain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sealTemplate, searchNonces } from './nonce-search.js';

const header: BlockHeader = {
  chainId: 'accord-test',
  height: 42n,
  prevHash: sha256(Uint8Array.of(1)),
  timestampMs: 1_767_225_600_000n,
  txRoot: sha256(Uint8Array.of(2)),
  stateRoot: sha256(Uint8Array.of(3)),
  proposer: 'validator-1',
  consensusData: Uint8Array.of(0, 0, 0, 7),
  txCount: 12,
  powDifficultyBits: 0,
  powNonce: 0n,
};

/** The bytes `searchNonces` hashes for `nonce`, observed through a 0-bit search of one nonce. */
function hashedAt(nonce: bigint, bits: number): Uint8Array | undefined {
  return searchNonces(sealTemplate(header, bits), 0, nonce, 1).found?.hash;
}

describe('searchNonces', () => {
  it('hashes exactly the encoded header for every nonce, across varint length changes', () => {
    const boundaries = [1n, 127n, 128n, 16_383n, 16_384n, (1n << 35n) - 1n, 1n << 56n, (1n << 63n) + 5n, (1n << 64n) - 1n];
    for (const nonce of boundaries) {
      expect(hashedAt(nonce, 9)).toEqual(blockHash({ ...header, powDifficultyBits: 9, powNonce: nonce }));
    }
  });

  it('increments the nonce in place exactly like re-encoding it (property)', () => {
    const bits = 4;
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: (1n << 64n) - 300n }), (start) => {
        // The first nonce of start..start+255 that a re-encoding search accepts must be the one
        // the in-place increment finds, with the same hash (no miss: 256 draws at 1/16).
        let expected: { nonce: bigint; hash: Uint8Array } | undefined;
        for (let nonce = start; nonce < start + 256n && !expected; nonce++) {
          const hash = blockHash({ ...header, powDifficultyBits: bits, powNonce: nonce });
          if (meetsDifficulty(hash, bits)) expected = { nonce, hash };
        }
        const result = searchNonces(sealTemplate(header, bits), bits, start, 256);
        expect(result.found).toEqual(expected);
      }),
      { numRuns: 150, seed: 7, examples: [[127n], [16_300n], [(1n << 63n) - 100n]] },
    );
  });

  it('finds the first qualifying nonce of a range, which verifies with verifyPowSeal', () => {
    const bits = 10;
    const result = searchNonces(sealTemplate(header, bits), bits, 1n, 1 << 20);
    expect(result.found).toBeDefined();
    const nonce = result.found!.nonce;
    expect(result.hashes).toBe(Number(nonce));
    expect(verifyPowSeal({ ...header, powDifficultyBits: bits, powNonce: nonce }, bits)).toBe(true);
    for (let earlier = 1n; earlier < nonce; earlier++) {
      expect(meetsDifficulty(blockHash({ ...header, powDifficultyBits: bits, powNonce: earlier }), bits)).toBe(false);
    }
  });

  it('rejects a wrong nonce, a wrong difficulty and a tampered header', () => {
    const bits = 12;
    const { found } = searchNonces(sealTemplate(header, bits), bits, 1n, 1 << 22);
    const sealed = { ...header, powDifficultyBits: bits, powNonce: found!.nonce };
    expect(verifyPowSeal(sealed, bits)).toBe(true);
    expect(verifyPowSeal({ ...sealed, powNonce: sealed.powNonce + 1n }, bits)).toBe(false);
    expect(verifyPowSeal(sealed, bits + 1)).toBe(false);
    expect(verifyPowSeal({ ...sealed, powDifficultyBits: bits - 1 }, bits - 1)).toBe(false);
    expect(verifyPowSeal({ ...sealed, txCount: sealed.txCount + 1 }, bits)).toBe(false);
  });

  it('stops when asked and reports the hashes done', () => {
    let polls = 0;
    const result = searchNonces(sealTemplate(header, 40), 40, 1n, 1 << 20, () => ++polls === 3, 256);
    expect(result).toEqual({ hashes: 768, stopped: true });
  });

  it('never runs past the largest 64-bit nonce', () => {
    const result = searchNonces(sealTemplate(header, 64), 64, (1n << 64n) - 3n, 1000);
    expect(result).toEqual({ hashes: 3, stopped: false });
    expect(() => searchNonces(sealTemplate(header, 1), 1, 0n, 10)).toThrow(RangeError);
  });
});
