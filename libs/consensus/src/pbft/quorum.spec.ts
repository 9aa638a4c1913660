import { describe, expect, it } from 'vitest';
import { maxFaulty, primaryOf, quorumSize } from './quorum.js';

describe('PBFT quorums', () => {
  it('tolerates f = floor((n-1)/3) faults with 2f+1 quorums when n = 3f+1', () => {
    expect([1, 4, 7, 10].map(maxFaulty)).toEqual([0, 1, 2, 3]);
    expect([1, 4, 7, 10].map(quorumSize)).toEqual([1, 3, 5, 7]);
  });

  it('keeps any two quorums intersecting in an honest validator for every n, and leaves n - f validators live', () => {
    for (let n = 1; n <= 40; n++) {
      const f = maxFaulty(n);
      const q = quorumSize(n);
      expect(2 * q - n).toBeGreaterThanOrEqual(f + 1);
      expect(q).toBeLessThanOrEqual(n - f);
    }
    expect(quorumSize(5)).toBe(4);
  });

  it('rotates the primary through validators in genesis order', () => {
    const validators = ['a', 'b', 'c', 'd'];
    expect([0, 1, 2, 3, 4, 9].map((v) => primaryOf(validators, v))).toEqual(['a', 'b', 'c', 'd', 'a', 'b']);
  });
});
