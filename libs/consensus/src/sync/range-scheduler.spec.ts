import { describe, expect, it } from 'vitest';
import { RangeScheduler, type PeerCandidate, type SchedulerLimits } from './range-scheduler.js';

const limits: SchedulerLimits = { blocksPerRequest: 10, maxOutstanding: 4, maxPerPeer: 2, maxAheadBlocks: 100, requestTimeoutMs: 1000 };
const peers = (...heads: Array<[string, number]>): PeerCandidate[] => heads.map(([id, head]) => ({ id, head: BigInt(head) }));
const items = (from: number, count: number): string[] => Array.from({ length: count }, (_, i) => `block ${from + i}`);

/** Applies every block that is next in order, returning their heights. */
function drain(scheduler: RangeScheduler<string>): number[] {
  const applied: number[] = [];
  for (let next = scheduler.peekNext(); next; next = scheduler.peekNext()) {
    applied.push(Number(next.height));
    scheduler.advance();
  }
  return applied;
}

describe('RangeScheduler', () => {
  it('cuts the gap into ranges, lowest first, spread over the least busy peers within the window', () => {
    const scheduler = new RangeScheduler<string>(1n, 100n, limits);
    const requests = scheduler.assign(peers(['a', 100], ['b', 100], ['c', 100]), 0);
    expect(requests.map((r) => [r.peerId, Number(r.from), Number(r.to)])).toEqual([
      ['a', 1, 10],
      ['b', 11, 20],
      ['c', 21, 30],
      ['a', 31, 40],
    ]);
    // The outstanding bound holds until an answer comes back.
    expect(scheduler.assign(peers(['a', 100], ['b', 100], ['c', 100]), 0)).toEqual([]);
  });

  it('never asks a peer beyond its head, and leaves heights nobody has queued', () => {
    const scheduler = new RangeScheduler<string>(1n, 30n, limits);
    const requests = scheduler.assign(peers(['low', 15]), 0);
    expect(requests.map((r) => [Number(r.from), Number(r.to)])).toEqual([
      [1, 10],
      [11, 15],
    ]);
    expect(scheduler.queuedRanges()).toEqual([{ from: 16n, to: 30n }]);
  });

  it('releases blocks strictly in height order whatever order the answers arrive in', () => {
    const scheduler = new RangeScheduler<string>(1n, 30n, { ...limits, maxPerPeer: 3 });
    const [first, second, third] = scheduler.assign(peers(['a', 30], ['b', 30]), 0);
    scheduler.complete(third.id, items(21, 10));
    scheduler.complete(second.id, items(11, 10));
    expect(drain(scheduler)).toEqual([]);
    scheduler.complete(first.id, items(1, 10));
    expect(drain(scheduler)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(scheduler.isDone()).toBe(true);
  });

  it('queues again what a short answer left out, and what a failed or timed-out request asked for', () => {
    const scheduler = new RangeScheduler<string>(1n, 30n, limits);
    const [a, b, c] = scheduler.assign(peers(['a', 30], ['b', 30]), 0);
    scheduler.complete(a.id, items(1, 4));
    scheduler.fail(b.id);
    expect(scheduler.queuedRanges()).toEqual([{ from: 5n, to: 20n }]);
    expect(scheduler.expire(999)).toEqual([]);
    expect(scheduler.expire(1000).map((r) => r.id)).toEqual([c.id]);
    expect(scheduler.queuedRanges()).toEqual([{ from: 5n, to: 30n }]);
    // A late answer to an expired request is ignored.
    expect(scheduler.complete(c.id, items(21, 10))).toBeUndefined();
  });

  it('dropping a peer re-queues its requests and the blocks it served that are not applied yet', () => {
    const scheduler = new RangeScheduler<string>(1n, 40n, limits);
    const [a1, b1, , b2] = scheduler.assign(peers(['a', 40], ['b', 40]), 0);
    scheduler.complete(a1.id, items(1, 10));
    scheduler.complete(b1.id, items(11, 10));
    expect(drain(scheduler).length).toBe(20);
    scheduler.complete(b2.id, items(31, 10));
    scheduler.dropPeer('b');
    expect(scheduler.bufferedCount()).toBe(0);
    expect(scheduler.outstanding().map((r) => r.peerId)).toEqual(['a']);
    expect(scheduler.queuedRanges()).toEqual([{ from: 31n, to: 40n }]);
    const reassigned = scheduler.assign(peers(['a', 40]), 0);
    expect(reassigned.map((r) => [r.peerId, Number(r.from), Number(r.to)])).toEqual([['a', 31, 40]]);
  });

  it('does not fetch further ahead than the window', () => {
    const scheduler = new RangeScheduler<string>(1n, 1000n, { ...limits, maxOutstanding: 50, maxPerPeer: 50, maxAheadBlocks: 25 });
    const requests = scheduler.assign(peers(['a', 1000]), 0);
    expect(requests.map((r) => Number(r.from))).toEqual([1, 11, 21]);
  });

  it('follows a moving target and skips heights the ledger reached by another path', () => {
    const scheduler = new RangeScheduler<string>(1n, 10n, limits);
    scheduler.raiseTarget(25n);
    expect(scheduler.queuedRanges()).toEqual([{ from: 1n, to: 25n }]);
    scheduler.skipTo(13n);
    expect(scheduler.nextHeight).toBe(13n);
    expect(scheduler.queuedRanges()).toEqual([{ from: 13n, to: 25n }]);
    scheduler.skipTo(40n);
    expect(scheduler.isDone()).toBe(true);
  });
});
