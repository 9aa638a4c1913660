import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Redialer } from './redialer.js';

describe('Redialer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A redialer whose dials fail until `succeedAfter` attempts, recording when each happened. */
  function failingRedialer(succeedAfter = Number.POSITIVE_INFINITY) {
    const attemptsAtMs: number[] = [];
    let wanted = true;
    const redialer = new Redialer({
      backoff: { initialDelayMs: 100, maxDelayMs: 1000, multiplier: 2 },
      random: { nextFloat: () => 0.5 },
      wanted: () => wanted,
      dial: async () => {
        attemptsAtMs.push(Date.now());
        return attemptsAtMs.length > succeedAfter;
      },
    });
    return { redialer, attemptsAtMs, setWanted: (value: boolean) => (wanted = value) };
  }

  it('dials at once, then backs off exponentially up to the cap', async () => {
    const { redialer, attemptsAtMs } = failingRedialer();
    const start = Date.now();
    redialer.schedule('node-b', 0);
    await vi.advanceTimersByTimeAsync(10_000);
    const gaps = attemptsAtMs.map((at, i) => at - (i === 0 ? start : attemptsAtMs[i - 1]));
    // Equal jitter at 0.5: three quarters of 100, 200, 400, 800, then of the 1000 ms cap.
    expect(gaps.slice(0, 7)).toEqual([0, 75, 150, 300, 600, 750, 750]);
    redialer.stop();
  });

  it('keeps one dial in flight per peer and resets after a success', async () => {
    const { redialer, attemptsAtMs } = failingRedialer(2);
    redialer.schedule('node-b', 0);
    redialer.schedule('node-b', 0);
    await vi.advanceTimersByTimeAsync(1000);
    expect(attemptsAtMs).toHaveLength(3);
    redialer.succeeded('node-b');
    const before = Date.now();
    redialer.schedule('node-b', 0);
    await vi.advanceTimersByTimeAsync(0);
    expect(attemptsAtMs.at(-1)).toBe(before);
    redialer.stop();
  });

  it('stops retrying a peer that is no longer wanted or forgotten', async () => {
    const { redialer, attemptsAtMs, setWanted } = failingRedialer();
    redialer.schedule('node-b', 0);
    await vi.advanceTimersByTimeAsync(200);
    const count = attemptsAtMs.length;
    setWanted(false);
    await vi.advanceTimersByTimeAsync(5000);
    expect(attemptsAtMs).toHaveLength(count);
    setWanted(true);
    redialer.forget('node-b');
    await vi.advanceTimersByTimeAsync(5000);
    expect(attemptsAtMs).toHaveLength(count);
  });
});
