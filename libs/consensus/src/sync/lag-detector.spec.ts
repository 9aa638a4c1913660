import { describe, expect, it } from 'vitest';
import { LagDetector } from './lag-detector.js';
import { PeerBook } from './peer-book.js';

describe('LagDetector', () => {
  it('asks for sync only after the lag lasted the grace period, and starts over when it closes', () => {
    const lag = new LagDetector({ thresholdBlocks: 4, graceMs: 1000 });
    expect(lag.observe(10n, 13n, 0)).toBe(false); // within the threshold: consensus catches up
    expect(lag.observe(10n, 20n, 100)).toBe(false);
    expect(lag.observe(10n, 20n, 1099)).toBe(false);
    expect(lag.observe(10n, 20n, 1100)).toBe(true);
    expect(lag.observe(19n, 20n, 1200)).toBe(false);
    expect(lag.observe(10n, 30n, 1300)).toBe(false);
    expect(LagDetector.lagOf(10n, undefined)).toBe(0n);
    expect(LagDetector.lagOf(10n, 7n)).toBe(0n);
  });
});

describe('PeerBook', () => {
  it('offers connected, unbanned peers with a known head; bans expire', () => {
    const book = new PeerBook();
    book.recordHead('a', 10n);
    book.recordHead('b', 20n);
    book.recordHead('offline', 99n);
    book.ban('b', 1000, 'SYNC_BAD_TX_ROOT');
    expect(book.candidates(['a', 'b', 'c'], 0)).toEqual([{ id: 'a', head: 10n }]);
    expect(book.bestHead(['a', 'b', 'c'], 0)).toBe(10n);
    expect(book.banned(0)).toEqual([{ peerId: 'b', reason: 'SYNC_BAD_TX_ROOT', untilMs: 1000 }]);
    expect(book.candidates(['a', 'b'], 1000)).toEqual([
      { id: 'a', head: 10n },
      { id: 'b', head: 20n },
    ]);
  });
});
