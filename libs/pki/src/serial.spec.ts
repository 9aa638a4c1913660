import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { derInteger } from './encoding.js';
import { normalizeSerial, randomSerial } from './serial.js';

/** Value of DER INTEGER content bytes read as two's complement. */
function twosComplement(hex: string): bigint {
  const unsigned = BigInt(`0x${hex}`);
  return parseInt(hex.slice(0, 2), 16) >= 0x80 ? unsigned - (1n << BigInt(hex.length * 4)) : unsigned;
}

function isMinimalDer(hex: string): boolean {
  if (hex.length < 4) return true;
  const first = parseInt(hex.slice(0, 2), 16);
  const second = parseInt(hex.slice(2, 4), 16);
  return !(first === 0x00 && second < 0x80) && !(first === 0xff && second >= 0x80);
}

describe('serial numbers', () => {
  it('normalises any spelling to one positive value with minimal DER content', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 20 }), fc.boolean(), (bytes, colons) => {
        fc.pre(bytes.some((byte) => byte !== 0));
        const hex = Buffer.from(bytes).toString('hex');
        const spelled = colons ? hex.toUpperCase().match(/../g)?.join(':') ?? hex : hex;
        const { serialHex, derHex } = normalizeSerial(spelled);
        const value = BigInt(`0x${hex}`);
        expect(serialHex).toBe(value.toString(16));
        expect(serialHex).toMatch(/^[1-9a-f][0-9a-f]*$/);
        expect(derHex.length % 2).toBe(0);
        expect(twosComplement(derHex)).toBe(value);
        expect(isMinimalDer(derHex)).toBe(true);
      }),
      { seed: 7, numRuns: 500 },
    );
  });

  it('draws random serials of at most 128 bits that are positive when encoded', () => {
    for (let i = 0; i < 200; i++) {
      const { serialHex, derHex } = randomSerial();
      expect(serialHex.length).toBeLessThanOrEqual(32);
      expect(twosComplement(derHex)).toBe(BigInt(`0x${serialHex}`));
    }
  });

  it('encodes CRL numbers as minimal positive DER INTEGERs', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 159n) - 1n }), (value) => {
        const der = Buffer.from(derInteger(value));
        expect(der[0]).toBe(0x02);
        expect(der[1]).toBe(der.length - 2);
        const content = der.subarray(2).toString('hex');
        expect(twosComplement(content)).toBe(value);
        expect(isMinimalDer(content)).toBe(true);
      }),
      { seed: 11, numRuns: 500 },
    );
  });
});
