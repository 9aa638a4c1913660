import { describe, expect, it } from 'vitest';
import { SeededRandom } from '#consensus';
import { SimNetwork, type Envelope } from './net.js';
import { TraceHash } from './trace.js';

const ids = ['a', 'b', 'c'];

function drain<M>(net: SimNetwork<M>, ticks: number): Envelope<M>[] {
  const out: Envelope<M>[] = [];
  for (let i = 0; i < ticks; i++) out.push(...net.tick());
  return out;
}

describe('SimNetwork', () => {
  it('delivers every message exactly once within the delay bounds on a clean network', () => {
    const net = new SimNetwork<number>(ids, new SeededRandom(1), { minDelayTicks: 2, maxDelayTicks: 5 });
    for (let i = 0; i < 100; i++) net.send('a', 'b', i);
    const delivered = drain(net, 10);
    expect(delivered.map((e) => e.message).sort((x, y) => x - y)).toEqual([...Array(100).keys()]);
    for (const e of delivered) expect(e.deliverAtTick - e.sentAtTick).toBeGreaterThanOrEqual(2);
    for (const e of delivered) expect(e.deliverAtTick - e.sentAtTick).toBeLessThanOrEqual(5);
    expect(net.inFlightCount).toBe(0);
  });

  it('reorders messages through random delays', () => {
    const net = new SimNetwork<number>(ids, new SeededRandom(2), { maxDelayTicks: 6 });
    for (let i = 0; i < 50; i++) net.send('a', 'b', i);
    const order = drain(net, 10).map((e) => e.message);
    expect(order).not.toEqual([...order].sort((x, y) => x - y));
  });

  it('drops and duplicates at roughly the configured rates', () => {
    const net = new SimNetwork<number>(ids, new SeededRandom(3), { dropProbability: 0.3, duplicateProbability: 0.2 });
    for (let i = 0; i < 2000; i++) net.send('a', 'b', i);
    drain(net, 5);
    const { dropped, duplicated, delivered } = net.stats;
    expect(dropped).toBeGreaterThan(450);
    expect(dropped).toBeLessThan(750);
    expect(duplicated).toBeGreaterThan(180);
    expect(delivered).toBe(2000 - dropped + duplicated);
  });

  it('blocks both directions across a symmetric partition and heals', () => {
    const net = new SimNetwork<string>(ids, new SeededRandom(4));
    net.partition([['a'], ['b', 'c']]);
    net.send('a', 'b', 'x');
    net.send('b', 'a', 'y');
    net.send('b', 'c', 'z');
    expect(drain(net, 5).map((e) => e.message)).toEqual(['z']);
    net.heal();
    net.send('a', 'b', 'x');
    expect(drain(net, 5).map((e) => e.message)).toEqual(['x']);
  });

  it('blocks only one direction of a one-way partition', () => {
    const net = new SimNetwork<string>(ids, new SeededRandom(5));
    net.blockLink('a', 'b');
    net.send('a', 'b', 'lost');
    net.send('b', 'a', 'kept');
    expect(drain(net, 5).map((e) => e.message)).toEqual(['kept']);
    expect(net.isLinkBlocked('a', 'b')).toBe(true);
    net.unblockLink('a', 'b');
    expect(net.isLinkBlocked('a', 'b')).toBe(false);
  });

  it('loses messages in flight when the link is cut before delivery', () => {
    const net = new SimNetwork<string>(ids, new SeededRandom(6), { minDelayTicks: 3, maxDelayTicks: 3 });
    net.send('a', 'b', 'm');
    net.tick();
    net.isolate('b');
    expect(drain(net, 5)).toEqual([]);
    expect(net.stats.dropped).toBe(1);
  });

  it('drops traffic to a crashed node, keeps what it sent before crashing', () => {
    const net = new SimNetwork<string>(ids, new SeededRandom(7), { minDelayTicks: 2, maxDelayTicks: 2 });
    net.send('a', 'b', 'to-b');
    net.send('b', 'c', 'from-b');
    net.crash('b');
    net.send('b', 'c', 'after-crash');
    expect(net.isUp('b')).toBe(false);
    expect(net.upNodes()).toEqual(['a', 'c']);
    expect(drain(net, 4).map((e) => e.message)).toEqual(['from-b']);
    net.restart('b');
    net.send('a', 'b', 'again');
    expect(drain(net, 4).map((e) => e.message)).toEqual(['again']);
  });

  it('replays the same history from the same seed', () => {
    const run = (seed: number): string => {
      const net = new SimNetwork<number>(ids, new SeededRandom(seed), {
        maxDelayTicks: 4,
        dropProbability: 0.1,
        duplicateProbability: 0.1,
      });
      const trace = new TraceHash();
      for (let t = 0; t < 50; t++) {
        net.send(ids[t % 3], ids[(t + 1) % 3], t);
        for (const e of net.tick()) trace.add(`${e.deliverAtTick} ${e.from}>${e.to} ${e.message}`);
      }
      return trace.digest();
    };
    expect(run(42)).toBe(run(42));
    expect(run(42)).not.toBe(run(43));
  });

  it('rejects invalid options', () => {
    expect(() => new SimNetwork<number>(ids, new SeededRandom(1), { minDelayTicks: 0 })).toThrow(RangeError);
    expect(() => new SimNetwork<number>(ids, new SeededRandom(1), { maxDelayTicks: 0 })).toThrow(RangeError);
    expect(() => new SimNetwork<number>(ids, new SeededRandom(1), { dropProbability: 2 })).toThrow(RangeError);
  });
});
