import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFields, WireError } from './reader.js';
import { ProtoWriter } from './writer.js';

const roundTrip = (value: bigint): bigint => {
  const [field] = readFields(new ProtoWriter().uint64(1, value).finish());
  if (field.wireType !== 0) throw new Error('expected a varint');
  return field.value;
};

describe('protobuf varints', () => {
  it('round-trips every width, on both sides of the 49-bit fast path and the 53-bit double limit', () => {
    const edges = [1n, 127n, 128n, 2n ** 49n - 1n, 2n ** 49n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n];
    for (const value of edges) expect(roundTrip(value), String(value)).toBe(value);
    fc.assert(fc.property(fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }), (value) => roundTrip(value) === value));
  });

  it('writes the same bytes through the fast path as the 64-bit path would (shortest form)', () => {
    // 2^53 - 1: seven 0xff bytes then 0x0f.
    expect([...new ProtoWriter().uint64(1, 2n ** 53n - 1n).finish()]).toEqual([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect([...new ProtoWriter().uint64(1, 300n).finish()]).toEqual([0x08, 0xac, 0x02]);
  });

  it('refuses truncated, over-long and over-64-bit varints, and lengths past the end', () => {
    const refuse = (bytes: number[]): void => expect(() => readFields(Uint8Array.from(bytes))).toThrow(WireError);
    refuse([0x08, 0x80]); // truncated after one byte
    refuse([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]); // truncated past the fast path
    refuse([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02]); // 2^64 and more
    refuse([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00]); // eleven bytes
    refuse([0x0a, 0x05, 0x01]); // length 5, one byte left
    refuse([0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]); // a length beyond any message
    refuse([0x00, 0x00]); // field number 0
    refuse([0x0b]); // wire type 3
  });
});
