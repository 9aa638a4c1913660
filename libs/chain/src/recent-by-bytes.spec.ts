import { describe, expect, it } from 'vitest';
import { RecentByBytes } from './recent-by-bytes.js';

describe('RecentByBytes', () => {
  it('computes a key once while it is kept, and forgets the oldest beyond its capacity', () => {
    const computed: number[] = [];
    const cache = new RecentByBytes(2, (key) => {
      computed.push(key[0]);
      return key[0] * 10;
    });
    expect([cache.get(Uint8Array.of(1)), cache.get(Uint8Array.of(2)), cache.get(Uint8Array.of(1))]).toEqual([10, 20, 10]);
    expect(computed).toEqual([1, 2]);
    cache.get(Uint8Array.of(3)); // evicts 1, the oldest
    cache.get(Uint8Array.of(2));
    cache.get(Uint8Array.of(1));
    expect(computed).toEqual([1, 2, 3, 1]);
  });

  it('tells keys apart by their bytes, whatever buffer views them', () => {
    const cache = new RecentByBytes(8, (key) => key.length);
    const backing = Uint8Array.of(9, 1, 2, 3);
    expect(cache.get(backing.subarray(1))).toBe(3);
    expect(cache.get(Uint8Array.of(1, 2))).toBe(2);
  });

  it('keeps nothing for a key whose computation throws', () => {
    let calls = 0;
    const cache = new RecentByBytes(8, () => {
      calls++;
      throw new Error('not on the curve');
    });
    expect(() => cache.get(Uint8Array.of(1))).toThrow('not on the curve');
    expect(() => cache.get(Uint8Array.of(1))).toThrow('not on the curve');
    expect(calls).toBe(2);
  });
});
