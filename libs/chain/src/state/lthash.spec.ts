import { describe, expect, it } from 'vitest';
import { toHex } from '../bytes.js';
import { LtHash } from './lthash.js';

const entry = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('LtHash', () => {
  it('keeps the state root format: a fixed vector computed when the format was defined', () => {
    const hash = new LtHash();
    hash.add(entry('alice'));
    hash.add(entry('bob'));
    hash.remove(entry('carol'));
    expect(toHex(hash.digest())).toBe('db450c6e78b0edae2e8827c71354675cd0b4eb08bcbc1d651fac56e50ba6a31b');
    expect(toHex(hash.toBytes().subarray(0, 8))).toBe('65742158c55c6142');
  });

  it('depends on the multiset only, not on the order of updates', () => {
    const a = new LtHash();
    const b = new LtHash();
    for (const name of ['x', 'y', 'z']) a.add(entry(name));
    for (const name of ['z', 'x', 'w', 'y']) b.add(entry(name));
    b.remove(entry('w'));
    expect(toHex(a.digest())).toBe(toHex(b.digest()));
  });

  it('returns to the empty accumulator when every entry is removed again, cached or not', () => {
    const empty = toHex(new LtHash().digest());
    const hash = new LtHash();
    // Far more entries than the expansion cache keeps: early ones are expanded again on removal.
    const names = Array.from({ length: 5000 }, (_, i) => `entry-${i}`);
    for (const name of names) hash.add(entry(name));
    expect(toHex(hash.digest())).not.toBe(empty);
    for (const name of names.reverse()) hash.remove(entry(name));
    expect(toHex(hash.digest())).toBe(empty);
  });

  it('reads an entry by its bytes, wherever they sit in their buffer', () => {
    const a = new LtHash();
    a.add(entry('shared'));
    const backing = new Uint8Array(9);
    backing.set(entry('shared'), 3);
    const b = new LtHash();
    b.add(backing.subarray(3));
    expect(toHex(b.digest())).toBe(toHex(a.digest()));
  });

  it('round-trips through bytes, from an odd offset too, and copies are independent', () => {
    const hash = new LtHash();
    hash.add(entry('persisted'));
    const bytes = hash.toBytes();
    const unaligned = new Uint8Array(bytes.length + 1);
    unaligned.set(bytes, 1);
    const restored = LtHash.fromBytes(unaligned.subarray(1));
    expect(toHex(restored.digest())).toBe(toHex(hash.digest()));
    const copy = restored.clone();
    copy.add(entry('more'));
    expect(toHex(restored.digest())).toBe(toHex(hash.digest()));
    expect(() => LtHash.fromBytes(new Uint8Array(10))).toThrow(RangeError);
  });

  it('adds and subtracts every lane modulo 2^16, carries and borrows never crossing into the next lane', () => {
    const edges = [0, 1, 0x7fff, 0x8000, 0x8001, 0xfffe, 0xffff];
    const a = Uint16Array.from({ length: 1024 }, (_, i) => (i < 49 ? edges[i % 7] : (i * 40503) & 0xffff));
    const b = Uint16Array.from({ length: 1024 }, (_, i) => (i < 49 ? edges[Math.floor(i / 7)] : (i * 9973 + 17) & 0xffff));
    const sum = new LtHash(a);
    sum.addDelta(b);
    const expected = Uint16Array.from(a, (x, i) => (x + b[i]) & 0xffff);
    expect(toHex(sum.toBytes())).toBe(toHex(new LtHash(expected).toBytes()));
    // Subtraction: removing an entry and adding it back is the identity, from any accumulator.
    const start = new LtHash(a);
    const moved = new LtHash(a);
    for (const name of ['p', 'q', 'r']) moved.remove(entry(name));
    for (const name of ['p', 'q', 'r']) moved.add(entry(name));
    expect(toHex(moved.toBytes())).toBe(toHex(start.toBytes()));
    const negated = new LtHash(LtHash.deltaOf([entry('p')], []));
    negated.add(entry('p'));
    expect(toHex(negated.toBytes())).toBe(toHex(new LtHash().toBytes()));
  });
});
