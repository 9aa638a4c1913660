import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { crc32c } from './crc32c.js';

/** Fixed seed: CI runs must be reproducible. */
const RUNS = { seed: 0x0c5c_0032, numRuns: 200 };

/** Bit-at-a-time reference implementation, to check the sliced tables against. */
function referenceCrc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return ~crc >>> 0;
}

describe('crc32c', () => {
  it('matches the standard check value and the RFC 3720 (iSCSI) vectors', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i))).toBe(0x113fdb5c);
    expect(crc32c(new Uint8Array(0))).toBe(0);
  });

  it('agrees with a bit-at-a-time implementation on random input of any alignment', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(crc32c(bytes)).toBe(referenceCrc32c(bytes));
      }),
      RUNS,
    );
  });

  it('continues across pieces and honours start/end', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(), (bytes, cutSeed) => {
        const cut = bytes.length === 0 ? 0 : cutSeed % bytes.length;
        const whole = crc32c(bytes);
        expect(crc32c(bytes.subarray(cut), crc32c(bytes.subarray(0, cut)))).toBe(whole);
        expect(crc32c(bytes, crc32c(bytes, 0, 0, cut), cut)).toBe(whole);
      }),
      RUNS,
    );
  });
});
