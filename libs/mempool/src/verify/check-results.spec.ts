import { describe, expect, it } from 'vitest';
import { checkBatchResults, inputHashes } from './check-results.js';

describe('checkBatchResults', () => {
  const inputs = [Uint8Array.of(1), Uint8Array.of(2), Uint8Array.of(3)];
  const hashes = inputHashes(inputs);
  const good = [
    { ok: true, hashHex: hashes[0] },
    { ok: false, hashHex: hashes[1], code: 'BAD_SIGNATURE', message: 'nope' },
    { ok: true, hashHex: hashes[2] },
  ];

  it('accepts verdicts that answer the batch item by item, and strips unknown fields', () => {
    const withExtra = good.map((item) => ({ ...item, injected: 'x' }));
    expect(checkBatchResults(hashes, withExtra)).toEqual(good);
  });

  it('rejects a result with a missing, extra or reordered verdict', () => {
    expect(checkBatchResults(hashes, good.slice(0, 2))).toBeUndefined();
    expect(checkBatchResults(hashes, [...good, good[0]])).toBeUndefined();
    expect(checkBatchResults(hashes, [good[1], good[0], good[2]])).toBeUndefined();
  });

  it('rejects malformed verdicts and non-array results', () => {
    expect(checkBatchResults(hashes, undefined)).toBeUndefined();
    expect(checkBatchResults(hashes, { results: good })).toBeUndefined();
    expect(checkBatchResults(hashes, [good[0], { ok: false, hashHex: hashes[1] }, good[2]])).toBeUndefined();
    expect(checkBatchResults(hashes, [good[0], { ...good[1], code: 'lower case' }, good[2]])).toBeUndefined();
    expect(checkBatchResults(hashes, [good[0], { ...good[1], ok: 'yes' }, good[2]])).toBeUndefined();
    expect(checkBatchResults(hashes, [null, good[1], good[2]])).toBeUndefined();
  });

  it('accepts the empty batch only with the empty result', () => {
    expect(checkBatchResults([], [])).toEqual([]);
    expect(checkBatchResults([], [good[0]])).toBeUndefined();
  });
});
