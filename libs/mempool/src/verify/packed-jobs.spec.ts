import { describe, expect, it } from 'vitest';
import { PACKED_CHECK_BYTES, packBlockEntries, packSignatureChecks, unpackBlockEntries, unpackSignatureChecks } from './packed-jobs.js';

const bytes = (length: number, fill: number): Uint8Array => new Uint8Array(length).fill(fill);

describe('packed signature checks', () => {
  it('round-trip every check in order, byte for byte', () => {
    const checks = [1, 2, 3].map((n) => ({ signature: bytes(64, n), digest: bytes(32, n + 10), publicKey: bytes(33, n + 20) }));
    const packed = packSignatureChecks(checks);
    expect(packed.length).toBe(3 * PACKED_CHECK_BYTES);
    expect(unpackSignatureChecks(packed)).toEqual(checks);
  });

  it('zero a check whose parts have the wrong lengths, so that it cannot verify', () => {
    const good = { signature: bytes(64, 1), digest: bytes(32, 2), publicKey: bytes(33, 3) };
    const uncompressedKey = { ...good, publicKey: bytes(65, 4) };
    const [, zeroed] = unpackSignatureChecks(packSignatureChecks([good, uncompressedKey]));
    expect(zeroed).toEqual({ signature: bytes(64, 0), digest: bytes(32, 0), publicKey: bytes(33, 0) });
  });

  it('refuse a buffer that is not whole checks', () => {
    expect(() => unpackSignatureChecks(bytes(PACKED_CHECK_BYTES + 1, 0))).toThrow(RangeError);
  });
});

describe('packed block entries', () => {
  it('round-trip blocks with entries of any length, empty blocks included', () => {
    const blocks = [
      { removed: [], added: [bytes(5, 1), bytes(0, 0)] },
      { removed: [], added: [] },
      { removed: [bytes(70, 2), bytes(3, 3)], added: [bytes(1, 4)] },
    ];
    expect(unpackBlockEntries(packBlockEntries(blocks))).toEqual(blocks);
  });

  it('refuse a layout and bytes that do not agree', () => {
    const packed = packBlockEntries([{ removed: [bytes(4, 1)], added: [bytes(6, 2)] }]);
    expect(() => unpackBlockEntries({ bytes: packed.bytes.subarray(0, 9), layout: packed.layout })).toThrow(/bytes end early/);
    expect(() => unpackBlockEntries({ bytes: packed.bytes, layout: packed.layout.subarray(0, 3) })).toThrow(/layout ends early|bytes left over/);
    expect(() => unpackBlockEntries({ bytes: Uint8Array.of(...packed.bytes, 0), layout: packed.layout })).toThrow(/bytes left over/);
  });
});
