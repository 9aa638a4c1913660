import { describe, expect, it } from 'vitest';
import { testAccount, transfer } from '../../../../test/support/chain-fixtures.js';
import { toHex } from '../bytes.js';
import { merkleRoot } from '../merkle.js';
import { txRootOf } from './tx-root.js';

const alice = testAccount('alice');
const bob = testAccount('bob');

describe('txRootOf', () => {
  it('is the Merkle root of the transaction hashes, the same on every call', () => {
    const txs = [transfer(alice, bob, 1n, 0n), transfer(alice, bob, 2n, 1n)];
    const expected = toHex(merkleRoot(txs.map((tx) => tx.hash)));
    expect(toHex(txRootOf(txs))).toBe(expected);
    expect(toHex(txRootOf(txs))).toBe(expected);
    expect(toHex(txRootOf([]))).toBe(toHex(merkleRoot([])));
  });

  it('hashes a list again when it was changed after its root was taken', () => {
    const txs = [transfer(alice, bob, 1n, 0n)];
    const before = toHex(txRootOf(txs));
    txs.push(transfer(alice, bob, 2n, 1n));
    expect(toHex(txRootOf(txs))).not.toBe(before);
    txs[1] = transfer(alice, bob, 3n, 1n);
    expect(toHex(txRootOf(txs))).toBe(toHex(merkleRoot(txs.map((tx) => tx.hash))));
  });
});
