import { describe, expect, it } from 'vitest';
import type { BlockSummary } from './chaos-cluster.js';
import { checkHistory, isSound, type NodeChain } from './checker.js';
import type { TxRecord } from './workload.js';

const acked = (hash: string, height: number, index: number): TxRecord => ({ hash, sender: 0, nonce: 0n, attempts: 1, outcome: 'acknowledged', ack: { nodeId: 'n1', height, index } });
const pending = (hash: string): TxRecord => ({ hash, sender: 1, nonce: 0n, attempts: 3, outcome: 'indeterminate' });
const block = (height: number, txHashes: string[], hash = `b${height}`, stateRoot = `s${height}`): BlockSummary => ({ height, hash, stateRoot, txHashes });
const chains = (...perNode: BlockSummary[][]): NodeChain[] => perNode.map((blocks, i) => ({ nodeId: `n${i + 1}`, blocks }));

describe('the chaos checker', () => {
  const good = [block(1, ['a', 'b']), block(2, ['c'])];

  it('accepts a history whose acknowledged transactions are each committed once, where acknowledged, on identical chains', () => {
    const result = checkHistory([acked('a', 1, 0), acked('b', 1, 1), pending('c'), pending('d')], chains(good, good, good));
    expect(isSound(result)).toBe(true);
    expect(result).toMatchObject({ acknowledged: 2, indeterminate: 2, committed: 3, indeterminateCommitted: 1, heightsCompared: 2 });
  });

  it('reports an acknowledged transaction missing from one validator as lost', () => {
    const result = checkHistory([acked('a', 1, 0), acked('c', 2, 0)], chains(good, [block(1, ['a', 'b']), block(2, [], 'b2-empty', 's2')]));
    expect(result.lost).toEqual(['c@n2']);
    expect(result.divergentHeights).toEqual([2]);
    expect(isSound(result)).toBe(false);
  });

  it('reports a transaction committed twice, even an unacknowledged one', () => {
    const twice = [block(1, ['a', 'b']), block(2, ['b'])];
    const result = checkHistory([acked('a', 1, 0), pending('b')], chains(twice, twice));
    expect(result.duplicates).toEqual(['b@n1 ×2', 'b@n2 ×2']);
    expect(isSound(result)).toBe(false);
  });

  it('reports an acknowledged transaction found elsewhere than its receipt said', () => {
    const result = checkHistory([acked('c', 1, 0)], chains(good));
    expect(result.moved).toEqual(['c@n1']);
  });

  it('reports divergent blocks or state roots and transactions no client sent', () => {
    const forked = [block(1, ['a', 'b']), block(2, ['x'], 'b2', 'other-root')];
    const result = checkHistory([acked('a', 1, 0), pending('b')], chains(good, forked));
    expect(result.divergentHeights).toEqual([2]);
    expect(result.unknown).toEqual(['c', 'x']);
  });
});
